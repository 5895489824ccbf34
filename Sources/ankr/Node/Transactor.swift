import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// Who signs: a keystore account (`--from`, with the keystore options) or a raw `--private-key`.
struct SignerOptions: ParsableArguments {
    @Option(help: "Sender address (its key in the keystore) — or use --private-key.")
    var from: String?

    @Option(name: .customLong("private-key"), help: "Sign with this hex key instead of the keystore.")
    var privateKey: String?

    @OptionGroup var key: AccountCommand.KeyOptions

    func signer() throws -> PrivateKey {
        if let privateKey {
            guard let k = try? PrivateKey(hex: privateKey) else { throw CommandFailure("--private-key is not a valid secp256k1 key") }
            return k
        }
        guard let from else { throw CommandFailure("give --from (a keystore account) or --private-key") }
        guard let a = try? Address(hex: from) else { throw CommandFailure("--from is not an address") }
        return try key.load(a, password: key.password(confirm: false))
    }
}

/// Signs EIP-1559 transactions for one account and sends them through a node's JSON-RPC.
struct Transactor {
    let rpc: RPCClient
    let signer: PrivateKey

    /// Sends a call or transfer; the gas limit is the node's estimate plus a quarter, or at least
    /// `minimumGas` (for calls whose work depends on the time they are mined, like finalizing exits).
    func send(to: Address, value: UInt256 = .zero, data: [UInt8] = [], minimumGas: UInt64 = 0) throws -> String {
        let chainID = try UInt256(parsing: rpc.string("eth_chainId", []))
        let nonce = try UInt256(parsing: rpc.string("eth_getTransactionCount", [signer.address.checksummed, "pending"]))
        let tip = try UInt256(parsing: rpc.string("eth_maxPriorityFeePerGas", []))
        guard let latest = try rpc.call("eth_getBlockByNumber", ["latest", false]) as? [String: Any],
              let baseFeeText = latest["baseFeePerGas"] as? String else { throw CommandFailure("the node did not return the latest block") }
        let baseFee = try UInt256(parsing: baseFeeText)
        guard let id = chainID.uint64, let n = nonce.uint64 else { throw CommandFailure("the node returned an out-of-range chain id or nonce") }
        let call: [String: Any] = ["from": signer.address.checksummed, "to": to.checksummed, "value": value.hexQuantity, "data": data.hexPrefixed]
        let estimate: UInt256
        do {
            estimate = try UInt256(parsing: rpc.string("eth_estimateGas", [call]))
        } catch let e as RPCClient.Failure {
            throw CommandFailure("the node refuses this transaction: \(e)")
        }
        guard let gas = estimate.uint64, gas <= 30_000_000 else { throw CommandFailure("gas estimate \(estimate) is too large") }
        let limit = max(gas == 21_000 ? gas : gas + gas / 4, minimumGas)
        let tx = Transaction.dynamicFee(chainID: id, nonce: n, maxPriorityFeePerGas: tip, maxFeePerGas: baseFee &+ baseFee &+ tip,
                                        gasLimit: limit, to: to, value: value, data: data)
        return try rpc.string("eth_sendRawTransaction", [try tx.signed(with: signer).encoded.hexPrefixed])
    }

    /// Waits for a receipt (up to `seconds`); throws when the transaction failed.
    @discardableResult
    func waitForSuccess(_ hash: String, seconds: Double = 120) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let receipt = try rpc.call("eth_getTransactionReceipt", [hash]) as? [String: Any] {
                guard receipt["status"] as? String == "0x1" else {
                    throw CommandFailure("transaction \(hash) failed in block \(receipt["blockNumber"] as? String ?? "?")")
                }
                return receipt
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw CommandFailure("no receipt for \(hash) after \(Int(seconds)) s")
    }
}

/// A contract transaction or view from the command line: who signs (`SignerOptions`) and which node
/// (`RPCOption`). `send` signs, sends and waits for success; events are read back from the receipt.
struct ContractCall: ParsableArguments {
    @OptionGroup var account: SignerOptions
    @OptionGroup var node: RPCOption

    func transactor() throws -> Transactor { Transactor(rpc: try node.client(), signer: try account.signer()) }

    /// Sends `data` (with `value`) to `to`, waits for success and returns the hash and the receipt's logs.
    func send(to: Address, value: UInt256 = .zero, data: [UInt8], minimumGas: UInt64 = 0) throws -> (hash: String, logs: [[String: Any]]) {
        let transactor = try transactor()
        let hash = try transactor.send(to: to, value: value, data: data, minimumGas: minimumGas)
        return (hash, try transactor.waitForSuccess(hash)["logs"] as? [[String: Any]] ?? [])
    }

    /// A view through `eth_call` at the latest block, decoded as `returns`.
    func view(_ contract: Address, _ signature: String, _ args: [ABIValue] = [], returns: [ABIType]) throws -> [ABIValue] {
        let data = try ABI.encodeCall(signature, args)
        let out = try node.client().string("eth_call", [["to": contract.checksummed, "data": data.hexPrefixed], "latest"])
        return try ABI.decode(returns, from: try Hex.decode(out))
    }

    /// The topics of the first log of `event` in `logs`.
    static func topics(of event: String, in logs: [[String: Any]], interface: ContractInterface) -> [String]? {
        guard let topic = interface.event(named: event)?.topic.description else { return nil }
        return logs.first { ($0["topics"] as? [String])?.first == topic }?["topics"] as? [String]
    }
}
