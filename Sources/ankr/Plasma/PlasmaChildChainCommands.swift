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

    func client() throws -> OperatorClient {
        guard let u = URL(string: url), u.scheme == "http" || u.scheme == "https" else { throw CommandFailure("--operator must be an http(s) URL") }
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

    /// Fetches a block from the operator and checks it against the root PlasmaRoot stored for it.
    static func verifiedBlock(_ number: UInt64, _ op: OperatorClient, _ root: RootContractClient) throws -> ChildBlock {
        guard let onChain = try root.root(of: number) else { throw CommandFailure("child block \(number) is not on the main chain") }
        guard let served = try op.block(number) else { throw CommandFailure("the operator does not serve block \(number)") }
        guard try served.tree().root == onChain else { throw CommandFailure("the operator's block \(number) does not match its root on the main chain") }
        return try ChildBlock(number: number, previousHeaderHash: served.previousHeaderHash,
                              transactions: try served.transactions.map { try PlasmaTransaction(encoded: $0) })
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
                let key = try call.account.signer()
                guard let recipient = try? Address(hex: to) else { throw CommandFailure("--to is not an address") }
                let amount = try Amount.parse(value), fee = try Amount.parse(fee)
                let (need, overflow) = amount.addingReportingOverflow(fee)
                guard !overflow, !amount.isZero else { throw CommandFailure("--value must be positive and value + fee must fit 256 bits") }
                let op = try operatorOption.client()
                let utxos = try op.utxos(key.address)
                // One output that covers it (the smallest such), else the two largest.
                let inputs: [(position: UTXOPosition, amount: UInt256)]
                if let one = utxos.filter({ $0.amount >= need }).min(by: { $0.amount < $1.amount }) {
                    inputs = [one]
                } else {
                    let two = Array(utxos.sorted { $0.amount > $1.amount }.prefix(2))
                    let (sum, o) = two.count == 2 ? two[0].amount.addingReportingOverflow(two[1].amount) : (two.first?.amount ?? .zero, false)
                    guard !o, sum >= need else {
                        throw CommandFailure("\(key.address.checksummed) has \(utxos.count) outputs on chain \(chain); no two of them cover \(need) wei")
                    }
                    inputs = two
                }
                var total = UInt256.zero
                for i in inputs { total = total &+ i.amount }
                var outputs = [PlasmaTransaction.Output(owner: recipient, amount: amount)]
                if total > need { outputs.append(.init(owner: key.address, amount: total &- need)) }
                var tx = try PlasmaTransaction(inputs: inputs.map { .init($0.position) }, outputs: outputs, fee: fee)
                for i in inputs.indices { try tx.sign(input: i, with: key) }
                let hash: H256
                do { hash = try op.send(tx) } catch { throw CommandFailure("the operator refused the transaction: \(error)") }
                var result: [String: Any] = ["hash": hash.description, "inputs": inputs.map { $0.position.description }]
                if !noWait {
                    let root = RootContractClient(rpc: try call.node.client(), chain: chain)
                    let deadline = Date().addingTimeInterval(120)
                    var placed = try op.transaction(hash)
                    while placed?.blockNumber == nil || placed?.submitted != true {
                        guard Date() < deadline else { throw CommandFailure("transaction \(hash) was not in a submitted block after 120 s") }
                        Thread.sleep(forTimeInterval: 0.2)
                        placed = try op.transaction(hash)
                    }
                    guard let number = placed?.blockNumber, let index = placed?.txIndex else { throw CommandFailure("the operator lost \(hash)") }
                    let block = try PlasmaCommand.verifiedBlock(number, op, root)
                    guard index < block.transactions.count, block.transactions[index].hash == hash else {
                        throw CommandFailure("block \(number) does not hold \(hash) at \(index)")
                    }
                    // Confirm only now: the block is on the main chain and its data is available.
                    var sigs = [UInt8]()
                    for _ in inputs { sigs += try ConfirmSignature.sign(transaction: hash, blockRoot: block.merkleRoot, with: key) }
                    try op.confirm(hash, signatures: sigs)
                    result["block"] = number
                    result["txIndex"] = index
                    result["outputs"] = try outputs.enumerated().map { k, o in
                        ["position": try UTXOPosition(blockNumber: number, txIndex: UInt64(index), outputIndex: UInt64(k)).description,
                         "owner": o.owner.checksummed, "amount": o.amount.description]
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
                let key = try call.account.signer()
                let position = try PlasmaCommand.position(utxo)
                let op = try operatorOption.client()
                let root = RootContractClient(rpc: try call.node.client(), chain: chain, transactor: try call.transactor())
                let block = try PlasmaCommand.verifiedBlock(position.blockNumber, op, root)
                guard position.txIndex < block.transactions.count else { throw CommandFailure("block \(position.blockNumber) has no transaction \(position.txIndex)") }
                let tx = block.transactions[Int(position.txIndex)]
                guard tx.outputs[Int(position.outputIndex)].owner == key.address else { throw CommandFailure("output \(position) is not yours") }
                var confirms = [UInt8]()
                if !tx.isDeposit {
                    if let known = try op.transaction(tx.hash)?.confirmSignatures {
                        confirms = known
                    } else if try tx.signers().allSatisfy({ $0 == nil || $0 == key.address }) {
                        for s in try tx.signers() where s != nil { confirms += try ConfirmSignature.sign(transaction: tx.hash, blockRoot: block.merkleRoot, with: key) }
                    } else {
                        throw CommandFailure("the sender has not published confirm signatures for \(tx.hash); ask them to confirm it")
                    }
                }
                let hash = try root.send("startExit", [.uint(UInt256(position.encoded)), .bytes(tx.encoded),
                                                      .bytes(try block.tree().proof(index: Int(position.txIndex))), .bytes(confirms)],
                                         value: try root.exitBond())
                let exit = try root.view("getExit", [.uint(UInt256(position.encoded))])
                try JSONOutput.print(pretty: true, ["position": position.description, "utxoPos": position.encoded, "tx": hash,
                                             "amount": exit[1].uintValue?.description ?? "", "exitableAt": exit[2].uintValue?.uint64 ?? 0])
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
