import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import Foundation

/// Signs EIP-1559 transactions for one account and sends them through a node's JSON-RPC.
public struct Transactor: Sendable {
    public let rpc: RPCClient
    public let signer: PrivateKey

    public init(rpc: RPCClient, signer: PrivateKey) { self.rpc = rpc; self.signer = signer }

    /// Why a transaction could not be sent or did not succeed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ message: String) { description = message }
    }

    /// Sends a call or transfer; the gas limit is the node's estimate plus a quarter, or at least
    /// `minimumGas` (for calls whose work depends on the time they are mined, like finalizing exits).
    public func send(to: Address, value: UInt256 = .zero, data: [UInt8] = [], minimumGas: UInt64 = 0) throws -> String {
        let tx = try sign(to: to, value: value, data: data, minimumGas: minimumGas)
        return try rpc.string("eth_sendRawTransaction", [tx.encoded.hexPrefixed])
    }

    /// The signed transaction ``send(to:value:data:minimumGas:)`` would send, for a caller that
    /// delivers it another way (the asset API takes it as its request's authentication).
    public func sign(to: Address, value: UInt256 = .zero, data: [UInt8] = [], minimumGas: UInt64 = 0) throws -> Transaction {
        let batch = try batch()
        let gas = try gasLimit(["from": signer.address.checksummed, "to": to.checksummed, "value": value.hexQuantity, "data": data.hexPrefixed],
                               refusal: "the node refuses this transaction")
        return try batch.sign(to: to, value: value, data: data, gasLimit: max(gas, minimumGas))
    }

    /// The node's estimate for `call` plus a quarter (a plain transfer's 21,000 exactly).
    private func gasLimit(_ call: [String: Any], refusal: String) throws -> UInt64 {
        let estimate: UInt256
        do {
            estimate = try UInt256(parsing: rpc.string("eth_estimateGas", [call]))
        } catch let e as RPCClient.Failure {
            throw Failure("\(refusal): \(e)")
        }
        guard let gas = estimate.uint64, gas <= 30_000_000 else { throw Failure("gas estimate \(estimate) is too large") }
        return gas == 21_000 ? gas : gas + gas / 4
    }

    /// Deploys `code` (initcode with its constructor arguments appended), waits for success and
    /// returns the transaction hash and the new contract's address.
    public func deploy(_ code: [UInt8], value: UInt256 = .zero) throws -> (hash: String, address: Address) {
        let batch = try batch()
        let gas = try gasLimit(["from": signer.address.checksummed, "value": value.hexQuantity, "data": code.hexPrefixed],
                               refusal: "the node refuses this deployment")
        let tx = try Transaction.dynamicFee(chainID: batch.chainID, nonce: batch.nonce, maxPriorityFeePerGas: batch.tip, maxFeePerGas: batch.maxFee,
                                            gasLimit: gas, to: nil, value: value, data: code).signed(with: signer)
        let hash = try rpc.string("eth_sendRawTransaction", [tx.encoded.hexPrefixed])
        let receipt = try waitForSuccess(hash)
        guard let text = receipt["contractAddress"] as? String, let address = try? Address(hex: text) else {
            throw Failure("the receipt of \(hash) names no contract address")
        }
        return (hash, address)
    }

    /// Many transactions back to back with one round of queries: nonces count up from the pending
    /// nonce, fees are read once, and the caller gives each gas limit (unused gas is not charged).
    public struct Batch: Sendable {
        public let transactor: Transactor
        let chainID: UInt64
        let tip: UInt256
        let maxFee: UInt256
        public private(set) var nonce: UInt64

        public mutating func send(to: Address, value: UInt256 = .zero, data: [UInt8], gasLimit: UInt64) throws -> String {
            let hash = try transactor.rpc.string("eth_sendRawTransaction", [try sign(to: to, value: value, data: data, gasLimit: gasLimit).encoded.hexPrefixed])
            nonce += 1
            return hash
        }

        /// The next transaction of the batch, signed (the nonce is not consumed).
        public func sign(to: Address, value: UInt256 = .zero, data: [UInt8], gasLimit: UInt64) throws -> Transaction {
            try Transaction.dynamicFee(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                                       gasLimit: gasLimit, to: to, value: value, data: data).signed(with: transactor.signer)
        }
    }

    public func batch() throws -> Batch {
        let chainID = try UInt256(parsing: rpc.string("eth_chainId", []))
        let nonce = try UInt256(parsing: rpc.string("eth_getTransactionCount", [signer.address.checksummed, "pending"]))
        let tip = try UInt256(parsing: rpc.string("eth_maxPriorityFeePerGas", []))
        guard let latest = try rpc.call("eth_getBlockByNumber", ["latest", false]) as? [String: Any],
              let baseFeeText = latest["baseFeePerGas"] as? String else { throw Failure("the node did not return the latest block") }
        let baseFee = try UInt256(parsing: baseFeeText)
        guard let id = chainID.uint64, let n = nonce.uint64 else { throw Failure("the node returned an out-of-range chain id or nonce") }
        // Twice the base fee: room for it to rise while the batch is mined.
        return Batch(transactor: self, chainID: id, tip: tip, maxFee: baseFee &+ baseFee &+ tip, nonce: n)
    }

    /// Waits for a receipt (up to `seconds`); throws when the transaction failed.
    @discardableResult
    public func waitForSuccess(_ hash: String, seconds: Double = 120) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let receipt = try rpc.call("eth_getTransactionReceipt", [hash]) as? [String: Any] {
                guard receipt["status"] as? String == "0x1" else {
                    throw Failure("transaction \(hash) failed in block \(receipt["blockNumber"] as? String ?? "?")")
                }
                return receipt
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure("no receipt for \(hash) after \(Int(seconds)) s")
    }
}

