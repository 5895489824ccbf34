import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
import Logging

/// The child-chain side of the wallet: talk to an operator (`--operator`), check what it serves
/// against the roots on the main chain (`--rpc`), and act on the main chain when needed.
struct OperatorOption: ParsableArguments {
    @Option(name: .customLong("operator"), help: "The operator's plasma_ JSON-RPC URL.")
    var url = "http://127.0.0.1:8600"

    func client() throws -> OperatorClient { try Self.client(url, option: "--operator") }

    /// An operator client for a URL given as `option`.
    static func client(_ text: String, option: String) throws -> OperatorClient {
        guard let u = URL(string: text), u.scheme == "http" || u.scheme == "https" else { throw CommandFailure("\(option) must be an http(s) URL") }
        return OperatorClient(rpc: RPCClient(url: u))
    }
}

extension PlasmaCommand {
    /// "1000:0:1" or the encoded integer.
    static func position(_ text: String) throws -> UTXOPosition {
        let parts = text.split(separator: ":")
        if parts.count == 3, let b = UInt64(parts[0]), let t = UInt64(parts[1]), let o = UInt64(parts[2]) {
            return try UTXOPosition(blockNumber: b, txIndex: t, outputIndex: o)
        }
        guard let v = try? UInt256(parsing: text) else { throw CommandFailure("\(text) is not a UTXO position (block:tx:output or an integer)") }
        return try UTXOPosition(encoded: v)
    }

    /// The signer's wallet on `chain`, through `--operator` and `--rpc`.
    static func wallet(_ chain: UInt64, _ operatorOption: OperatorOption, _ call: ContractCall) throws -> ChildChainWallet {
        _ = try root(chain)
        return ChildChainWallet(key: try call.account.signer(), chain: chain, operatorClient: try operatorOption.client(),
                                root: RootContractClient(rpc: try call.node.client(), chain: chain, transactor: try call.transactor()))
    }

    /// A block from the operator, checked against the root stored on the main chain.
    static func verifiedBlock(_ number: UInt64, _ op: OperatorClient, _ root: RootContractClient) throws -> ChildBlock {
        try op.verifiedBlock(number, against: root)
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay someone on a child chain: pick your outputs, sign, send to the operator, wait for the block and confirm it.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(help: "Recipient address.") var to: String
        @Option(help: "Amount: wei, or with a unit (1ankr).") var value: String
        @Option(help: "Fee for the operator: wei, or with a unit.") var fee = "0"
        @Flag(name: .customLong("no-wait"), help: "Return once the operator accepts the transaction (no confirmation).") var noWait = false
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard let recipient = try? Address(hex: to) else { throw CommandFailure("--to is not an address") }
                let wallet = try PlasmaCommand.wallet(chain, operatorOption, call)
                let payment = try wallet.pay(recipient, amount: try Amount.parse(value), fee: try Amount.parse(fee), wait: !noWait)
                var result: [String: Any] = ["hash": payment.hash.description, "inputs": payment.inputs.map(\.description)]
                if let number = payment.block, let index = payment.txIndex {
                    result["block"] = number
                    result["txIndex"] = index
                    result["outputs"] = try payment.outputs.enumerated().map { k, o in
                        ["position": try payment.position(ofOutput: k)?.description ?? "", "owner": o.owner.checksummed, "amount": o.amount.description]
                    }
                }
                try JSONOutput.print(pretty: true, result)
            }
        }
    }

    struct Balance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An address's balance on a child chain, with its unspent outputs.")

        @Argument(help: "The address.") var address: String
        @OptionGroup var operatorOption: OperatorOption

        func run() throws {
            try reportingErrors {
                guard let a = try? Address(hex: address) else { throw CommandFailure("\(address) is not an address") }
                let utxos = try operatorOption.client().utxos(a)
                var total = UInt256.zero
                for u in utxos { total = total &+ u.amount }
                try JSONOutput.print(pretty: true, ["address": a.checksummed, "balance": total.description,
                                             "utxos": utxos.map { ["position": $0.position.description, "utxoPos": $0.position.encoded, "amount": $0.amount.description] }])
            }
        }
    }

    struct Utxos: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An address's spendable outputs on a child chain (JSON lines: position, utxoPos, amount).")

        @Argument(help: "The address.") var address: String
        @OptionGroup var operatorOption: OperatorOption

        func run() throws {
            try reportingErrors {
                guard let a = try? Address(hex: address) else { throw CommandFailure("\(address) is not an address") }
                for u in try operatorOption.client().utxos(a) {
                    let data = try JSONSerialization.data(withJSONObject: ["position": u.position.description, "utxoPos": u.position.encoded,
                                                                           "amount": u.amount.description], options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                }
            }
        }
    }

    struct Exit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exit one of your outputs to the main chain: proven against the stored root, with its inputs' confirm signatures and the bond.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(help: "The output: block:tx:output or its encoded position.") var utxo: String
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let exit = try PlasmaCommand.wallet(chain, operatorOption, call).startExit(try PlasmaCommand.position(utxo))
                try JSONOutput.print(pretty: true, ["position": exit.position.description, "utxoPos": exit.position.encoded, "tx": exit.transaction,
                                                   "amount": exit.amount.description, "exitableAt": exit.exitableAt])
            }
        }
    }

    struct Challenge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Challenge an exit of an output that was spent: the spend, its proof and the owner's confirm signature.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(help: "The exiting output: block:tx:output or its encoded position.") var utxo: String
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let position = try PlasmaCommand.position(utxo)
                let op = try operatorOption.client()
                let root = RootContractClient(rpc: try call.node.client(), chain: chain, transactor: try call.transactor())
                guard let spend = try op.spend(of: position.encoded) else { throw CommandFailure("the operator knows no spend of \(position)") }
                let block = try PlasmaCommand.verifiedBlock(spend.block, op, root)
                guard spend.index < block.transactions.count else { throw CommandFailure("block \(spend.block) has no transaction \(spend.index)") }
                let tx = block.transactions[spend.index]
                guard let k = tx.inputs.firstIndex(where: { $0.position == position }) else { throw CommandFailure("the operator's spend does not spend \(position)") }
                guard let sigs = try op.transaction(tx.hash)?.confirmSignatures, sigs.count >= 65 * (k + 1) else {
                    throw CommandFailure("no confirm signature of the spend \(tx.hash) is published")
                }
                let spendPos = ChildChainLedger.Location(block: spend.block, index: spend.index).position
                let hash = try root.send("challengeExit", [.uint(UInt256(position.encoded)), .uint(UInt256(spendPos)), .bytes(tx.encoded),
                                                          .bytes(try block.tree().proof(index: spend.index)), .bytes(Array(sigs[(65 * k)..<(65 * k + 65)]))])
                try JSONOutput.print(pretty: true, ["challenged": position.description, "spentAt": "\(spend.block):\(spend.index)", "tx": hash])
            }
        }
    }

    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Watch a child chain for its owners: audit every block, prove fraud, challenge bad exits, exit everything if blocks are withheld or invalid.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(name: .customLong("owner-key"), help: "Another owner's key file to protect (repeatable); the signing key is protected too.")
        var ownerKeys: [String] = []
        @Option(name: .customLong("withhold-timeout"), help: "Seconds a block may stay unavailable before everyone exits.") var withholdTimeout = 30.0
        @Option(help: "Seconds between rounds.") var interval = 1.0
        @Option(name: .customLong("log.level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard let level = Logger.Level(rawValue: logLevel) else { throw CommandFailure("--log.level must be one of \(NodeSettings.levels)") }
                LoggingSystem.bootstrap { label in
                    var h = StreamLogHandler.standardError(label: label)
                    h.logLevel = level
                    return h
                }
                _ = try PlasmaCommand.root(chain)
                var owners = [try call.account.signer()]
                for file in ownerKeys {
                    guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                          let k = try? PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw CommandFailure("\(file) does not hold a hex key") }
                    owners.append(k)
                }
                let root = RootContractClient(rpc: try call.node.client(), chain: chain, transactor: try call.transactor())
                let logger = { var l = Logger(label: "ankr.plasma.watch"); l.logLevel = level; return l }()
                let watcher = ChildChainWatcher(root: root, operator: try operatorOption.client(), owners: owners, withholdTimeout: withholdTimeout, logger: logger)
                let stop = StopFlag()
                let loop = Thread {
                    while !stop.isSet {
                        do {
                            for event in try watcher.tick() { print(Self.json(event)); fflush(nil) }
                        } catch {
                            logger.warning("watch round failed; retrying", metadata: ["error": "\(error)"])
                        }
                        Thread.sleep(forTimeInterval: interval)
                    }
                }
                loop.start()
                SignalWaiter.waitForTermination()
                stop.set()
            }
        }

        static func json(_ e: ChildChainWatcher.Event) -> String {
            let o: [String: Any]
            switch e {
            case .checked(let b, let n): o = ["event": "checked", "block": b, "transactions": n]
            case .fraudProven(let b, let r): o = ["event": "fraudProven", "block": b, "reason": r]
            case .withheld(let b): o = ["event": "withheld", "block": b]
            case .exited(let p, let owner): o = ["event": "exited", "utxoPos": p, "owner": owner.checksummed]
            case .challenged(let p): o = ["event": "challenged", "utxoPos": p]
            }
            let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// A flag set from one thread and read from another.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
