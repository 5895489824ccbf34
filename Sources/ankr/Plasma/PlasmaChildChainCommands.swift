import AnkrCommandLine
import AnkrCrypto
import AnkrNode
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
    /// An unspent output as `balance` and `utxos` print it.
    static func json(_ utxo: (position: UTXOPosition, amount: UInt256)) -> JSON {
        ["position": .string(utxo.position.description), "utxoPos": .int(clamping: utxo.position.encoded), "amount": .string(utxo.amount.description)]
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
        @Option(help: "Recipient address.") var to: Address
        @Option(help: "Amount: wei, or with a unit (1ankr).") var value: Amount
        @Option(help: "Fee for the operator: wei, or with a unit.") var fee = Amount(wei: .zero)
        @Flag(name: .customLong("no-wait"), help: "Return once the operator accepts the transaction (no confirmation).") var noWait = false
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let wallet = try PlasmaCommand.wallet(chain, operatorOption, call)
                let payment = try wallet.pay(to, amount: value.wei, fee: fee.wei, wait: !noWait)
                var result: [String: JSON] = ["hash": .string(payment.hash.description), "inputs": .array(payment.inputs.map { .string($0.description) })]
                if let number = payment.block, let index = payment.txIndex {
                    result["block"] = .int(clamping: number)
                    result["txIndex"] = .int(clamping: index)
                    result["outputs"] = .array(try payment.outputs.enumerated().map { k, o in
                        ["position": .string(try payment.position(ofOutput: k)?.description ?? ""), "owner": .string(o.owner.checksummed),
                         "amount": .string(o.amount.description)]
                    })
                }
                JSONOutput.print(pretty: true, .object(result))
            }
        }
    }

    struct Balance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An address's balance on a child chain, with its unspent outputs.")

        @Argument(help: "The address.") var address: Address
        @OptionGroup var operatorOption: OperatorOption

        func run() throws {
            try reportingErrors {
                let utxos = try operatorOption.client().utxos(address)
                var total = UInt256.zero
                for u in utxos {
                    let (sum, overflow) = total.addingReportingOverflow(u.amount)
                    guard !overflow else { throw CommandFailure("the operator reports outputs of \(address.checksummed) worth more than 2^256 wei") }
                    total = sum
                }
                JSONOutput.print(pretty: true, ["address": .string(address.checksummed), "balance": .string(total.description),
                                                "utxos": .array(utxos.map { PlasmaCommand.json($0) })])
            }
        }
    }

    struct Utxos: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An address's spendable outputs on a child chain (JSON lines: position, utxoPos, amount).")

        @Argument(help: "The address.") var address: Address
        @OptionGroup var operatorOption: OperatorOption

        func run() throws {
            try reportingErrors {
                for u in try operatorOption.client().utxos(address) { JSONOutput.print(PlasmaCommand.json(u)) }
            }
        }
    }

    struct Exit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exit one of your outputs to the main chain: proven against the stored root, with its inputs' confirm signatures and the bond.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(help: "The output: block:tx:output or its encoded position.") var utxo: UTXOPosition
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let exit = try PlasmaCommand.wallet(chain, operatorOption, call).startExit(utxo)
                JSONOutput.print(pretty: true, ["position": .string(exit.position.description), "utxoPos": .int(clamping: exit.position.encoded),
                                                "tx": .string(exit.transaction.description), "amount": .string(exit.amount.description), "exitableAt": .int(clamping: exit.exitableAt)])
            }
        }
    }

    struct ExitFees: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exit-fees",
            abstract: "As the chain's operator, exit the fees your blocks' transactions paid (confirmed ones not claimed yet), up to 32 per exit, each with the bond.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(name: .customLong("from-block"), help: "The first operator block (a multiple of 1000; default: 255 blocks before the last).") var fromBlock: UInt64?
        @Option(name: .customLong("to-block"), help: "The last operator block (default: the latest on the main chain).") var toBlock: UInt64?
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let interval = PlasmaRootState.childBlockInterval
                guard fromBlock.map({ $0 >= interval && $0 % interval == 0 }) ?? true, toBlock.map({ $0 % interval == 0 }) ?? true else {
                    throw CommandFailure("--from-block and --to-block are operator blocks: multiples of \(interval), from \(interval)")
                }
                let wallet = try PlasmaCommand.wallet(chain, operatorOption, call)
                guard try wallet.root.view("operator").first?.addressValue == (try call.account.signer().address) else {
                    throw CommandFailure("only the operator of child chain \(chain) exits its fees")
                }
                let last = try toBlock ?? wallet.root.latestBlock()
                let fromBlock = fromBlock ?? max(interval, last.subtractingReportingOverflow(255 * interval).overflow ? interval : last - 255 * interval)
                guard last >= fromBlock else { throw CommandFailure("no operator block from \(fromBlock) to \(last)") }
                // At most 256 blocks a run: each is fetched and checked against its root.
                guard (last - fromBlock) / interval < 256 else { throw CommandFailure("at most 256 blocks a run: narrow --from-block/--to-block") }
                let exits = try wallet.startFeeExits(blocks: Array(stride(from: fromBlock, through: last, by: Int(interval))))
                JSONOutput.print(pretty: true, .array(exits.map { e in
                    ["exitPosition": .int(clamping: e.exitPosition), "amount": .string(e.amount.description), "transactions": .int(clamping: e.transactions),
                     "exitableAt": .int(clamping: e.exitableAt), "tx": .string(e.transaction.description)]
                }))
            }
        }
    }

    struct Challenge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Challenge an exit of an output that was spent: the spend, its proof and the owner's confirm signature.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(help: "The exiting output: block:tx:output or its encoded position.") var utxo: UTXOPosition
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let position = utxo
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
                JSONOutput.print(pretty: true, ["challenged": .string(position.description), "spentAt": .string("\(spend.block):\(spend.index)"),
                                                "tx": .string(hash.description)])
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
        @OptionGroup var log: LogOptions
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let logger = log.bootstrap(label: "ankr.plasma.watch")
                _ = try PlasmaCommand.root(chain)
                var owners = [try call.account.signer()]
                for file in ownerKeys { owners.append(try DataDirectory.readKey(at: URL(fileURLWithPath: file))) }
                let root = RootContractClient(rpc: try call.node.client(), chain: chain, transactor: try call.transactor())
                let watcher = ChildChainWatcher(root: root, operator: try operatorOption.client(), owners: owners, withholdTimeout: withholdTimeout, logger: logger)
                let stop = StopFlag()
                // A round right after each new main-chain head (WebSocket newHeads), and every --interval regardless:
                // withholding deadlines pass without new blocks.
                let heads = ChainHeadWaiter(nodeURL: root.rpc.url)
                let loop = Thread {
                    var retries = RetryLog(logger: logger, what: "watch round")
                    while !stop.isSet {
                        do {
                            for event in try watcher.tick() { print(Self.json(event)); fflush(nil) }
                            retries.succeeded()
                        } catch {
                            retries.failed(error)
                        }
                        heads.wait(upTo: interval)
                    }
                }
                loop.start()
                SignalWaiter.waitForTermination()
                stop.set()
                heads.stop()
            }
        }

        static func json(_ e: ChildChainWatcher.Event) -> String {
            let o: JSON
            switch e {
            case .checked(let b, let n): o = ["event": "checked", "block": .int(clamping: b), "transactions": .int(clamping: n)]
            case .fraudProven(let b, let r): o = ["event": "fraudProven", "block": .int(clamping: b), "reason": .string(r)]
            case .withheld(let b): o = ["event": "withheld", "block": .int(clamping: b)]
            case .exited(let p, let owner): o = ["event": "exited", "utxoPos": .int(clamping: p), "owner": .string(owner.checksummed)]
            case .challenged(let p): o = ["event": "challenged", "utxoPos": .int(clamping: p)]
            }
            return o.text
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
