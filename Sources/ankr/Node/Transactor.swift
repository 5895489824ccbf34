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

    @Option(name: .customLong("key"), help: "Sign with the hex key in this file (like --miner.key) instead of the keystore.")
    var keyFile: String?

    @OptionGroup var key: AccountCommand.KeyOptions

    func signer() throws -> PrivateKey { try Self.signer(account: from, privateKey: privateKey, keyFile: keyFile, key: key, accountOption: "--from") }

    /// The key named by one of: a key file, a raw hex key, a keystore account (`accountOption`).
    static func signer(account: String?, privateKey: String?, keyFile: String?, key: AccountCommand.KeyOptions, accountOption: String) throws -> PrivateKey {
        if let keyFile {
            let path = (keyFile as NSString).expandingTildeInPath
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CommandFailure("cannot read the key file \(path)") }
            guard let k = try? PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw CommandFailure("\(path) does not hold a hex secp256k1 private key")
            }
            return k
        }
        if let privateKey {
            guard let k = try? PrivateKey(hex: privateKey) else { throw CommandFailure("--private-key is not a valid secp256k1 key") }
            return k
        }
        guard let account else { throw CommandFailure("give \(accountOption) (a keystore account), --key <file> or --private-key") }
        guard let a = try? Address(hex: account) else { throw CommandFailure("\(accountOption) is not an address") }
        return try key.load(a, password: key.password(confirm: false))
    }
}

/// Who signs, for commands whose `--from` means something else (`ankr plasma bridge --from A`):
/// `--account` names the keystore account.
struct AccountSignerOptions: ParsableArguments {
    @Option(help: "Sender address (its key in the keystore) — or use --private-key.")
    var account: String?

    @Option(name: .customLong("private-key"), help: "Sign with this hex key instead of the keystore.")
    var privateKey: String?

    @Option(name: .customLong("key"), help: "Sign with the hex key in this file instead of the keystore.")
    var keyFile: String?

    @OptionGroup var key: AccountCommand.KeyOptions

    func signer() throws -> PrivateKey {
        try SignerOptions.signer(account: account, privateKey: privateKey, keyFile: keyFile, key: key, accountOption: "--account")
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

    /// A view through `eth_call` at the latest block (as `from` when given), decoded as `returns`.
    func view(_ contract: Address, _ signature: String, _ args: [ABIValue] = [], returns: [ABIType], from: Address? = nil) throws -> [ABIValue] {
        let data = try ABI.encodeCall(signature, args)
        var request = ["to": contract.checksummed, "data": data.hexPrefixed]
        if let from { request["from"] = from.checksummed }
        let out = try node.client().string("eth_call", [request, "latest"])
        return try ABI.decode(returns, from: try Hex.decode(out))
    }

    /// The view `name` of a contract `interface`, through `eth_call`.
    func view(_ contract: Address, _ interface: ContractInterface, _ name: String, _ args: [ABIValue] = [], from: Address? = nil) throws -> [ABIValue] {
        guard let f = interface.functions.first(where: { $0.name == name }) else { throw CommandFailure("the contract has no \(name)") }
        return try view(contract, f.signature, args, returns: f.outputTypes, from: from)
    }

    /// Sends a call of `name` in a contract `interface`; see ``send(to:value:data:minimumGas:)``.
    func send(_ contract: Address, _ interface: ContractInterface, _ name: String, _ args: [ABIValue], value: UInt256 = .zero) throws -> (hash: String, logs: [[String: Any]]) {
        guard let f = interface.functions.first(where: { $0.name == name }) else { throw CommandFailure("the contract has no \(name)") }
        return try send(to: contract, value: value, data: try ABI.encodeCall(f.signature, args))
    }

    /// The topics of the first log of `event` in `logs`.
    static func topics(of event: String, in logs: [[String: Any]], interface: ContractInterface) -> [String]? {
        guard let topic = interface.event(named: event)?.topic.description else { return nil }
        return logs.first { ($0["topics"] as? [String])?.first == topic }?["topics"] as? [String]
    }
}
