import AnkrChain
import AnkrCommandLine
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

extension PlasmaCommand {
    /// `ankr plasma bridge --from A --to B`: value leaves child chain A the only way Plasma allows —
    /// an exit to the main chain, which waits out A's challenge period — and enters B as a deposit.
    /// Every step prints a JSON line with the three balances; the last one checks conservation.
    struct Bridge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move value from child chain A to child chain B through the main chain (exit, challenge period, withdraw, deposit).",
            discussion: """
            Steps, each printed as a JSON line with your balances on A, the main chain and B: `split` (pay yourself an output of \
            exactly --value on A, unless you hold one), `exit` (start its exit with the bond), `wait` (the challenge period), \
            `finalize`, `withdraw` (the value and the bond), `deposit` (into B, once its operator includes it) and `done` (what \
            each ledger gained or lost, main-chain gas included, and whether the value was conserved to the wei). When the \
            challenge period is longer than --max-wait, the command stops after `exit` and prints how to resume.
            """)

        @Option(help: "The child chain the value leaves.") var from: UInt64
        @Option(help: "The child chain the value enters.") var to: UInt64
        @Option(help: "Amount: wei, or with a unit (2ankr). Optional with --resume (the exit's amount).") var value: Amount?
        @Option(help: "Child-chain fee for the split on A: wei, or with a unit.") var fee = Amount(wei: .zero)
        @Option(name: .customLong("from-operator"), help: "Chain A's operator (plasma_ JSON-RPC).") var fromOperator = "http://127.0.0.1:8600"
        @Option(name: .customLong("to-operator"), help: "Chain B's operator (plasma_ JSON-RPC).") var toOperator = "http://127.0.0.1:8601"
        @Option(name: .customLong("max-wait"), help: "Longest challenge period to wait out, in seconds.") var maxWait: Double = 3600
        @Option(help: "Resume a bridge whose exit started: the exiting output (block:tx:output).") var resume: UTXOPosition?
        @OptionGroup var account: AccountSignerOptions
        @OptionGroup var node: RPCOption
        @OptionGroup var confirmation: ConfirmationsOption

        func run() throws {
            try reportingErrors {
                guard from != to else { throw CommandFailure("--from and --to name the same child chain") }
                let key = try account.signer()
                let rpc = try node.client(), transactor = Transactor(rpc: rpc, signer: key)
                _ = try PlasmaCommand.root(from)
                _ = try PlasmaCommand.root(to)
                let a = ChildChainWallet(key: key, chain: from, operatorClient: try OperatorOption.client(fromOperator, option: "--from-operator"),
                                         root: RootContractClient(rpc: rpc, chain: from, transactor: transactor))
                let bOperator = try OperatorOption.client(toOperator, option: "--to-operator")
                let bRoot = RootContractClient(rpc: rpc, chain: to, transactor: transactor)
                var ledger = BridgeLedger(me: key.address, rpc: rpc, a: a, bOperator: bOperator)
                try ledger.report("start")

                // 1–2. An output of exactly the value on A, and its exit.
                let position: UTXOPosition
                var exitTime: UInt64
                let amount: UInt256
                if let resume {
                    position = resume
                    let e = try a.root.view("getExit", [.uint(UInt256(position.encoded))])
                    guard e[0].addressValue == key.address else { throw CommandFailure("no exit of \(position) by \(key.address.checksummed) on chain \(from)") }
                    amount = e[1].uintValue ?? .zero
                    exitTime = e[2].uintValue?.uint64 ?? 0
                    ledger.resumed = true
                } else {
                    guard let value else { throw CommandFailure("give --value (or --resume an exit)") }
                    amount = value.wei
                    guard !amount.isZero else { throw CommandFailure("--value must be positive") }
                    if let exact = try a.operatorClient.utxos(key.address).first(where: { $0.amount == amount }) {
                        position = exact.position
                        try ledger.report("split", ["skipped": true, "output": .string(position.description)])
                    } else {
                        let split = try a.pay(key.address, amount: amount, fee: fee.wei)
                        guard let p = try split.position(ofOutput: 0) else { throw CommandFailure("the split \(split.hash) was not placed") }
                        position = p
                        ledger.childFee = fee.wei
                        try ledger.report("split", ["transaction": .string(split.hash.description), "output": .string(position.description)])
                    }
                    let exit = try a.startExit(position)
                    exitTime = exit.exitableAt
                    ledger.mainTransactions.append(exit.transaction)
                    ledger.bond = try a.root.exitBond()
                    // The operator takes an exiting output out of its spendable set when it sees the event.
                    let seen = Date().addingTimeInterval(30)
                    var operatorSeesExit = false
                    while !operatorSeesExit, Date() < seen {
                        operatorSeesExit = try !a.operatorClient.utxos(key.address).contains { $0.position == position }
                        if !operatorSeesExit { Thread.sleep(forTimeInterval: 0.2) }
                    }
                    try ledger.report("exit", ["output": .string(position.description), "amount": .string(exit.amount.description), "exitableAt": .int(clamping: exit.exitableAt),
                                               "transaction": .string(exit.transaction.description), "operatorSeesExit": .bool(operatorSeesExit)])
                }

                // 3. The challenge period.
                let remaining = Double(exitTime) - Date().timeIntervalSince1970
                if remaining > maxWait {
                    try ledger.report("wait", ["exitableAt": .int(clamping: exitTime), "resumeWith": .string("ankr plasma bridge --from \(from) --to \(to) --resume \(position)")])
                    return
                }
                try ledger.report("wait", ["exitableAt": .int(clamping: exitTime), "seconds": .int(clamping: max(0, Int(remaining.rounded(.up))))])
                if remaining > 0 { Thread.sleep(forTimeInterval: remaining + 1) }

                // 4. Finalize (others' earlier exits may be popped first), then withdraw.
                let deadline = Date().addingTimeInterval(120)
                while true {
                    let status = try a.root.view("getExit", [.uint(UInt256(position.encoded))])[3].uintValue?.uint64 ?? 0
                    if status == PlasmaRootState.ExitStatus.finalized.rawValue { break }
                    guard status == PlasmaRootState.ExitStatus.queued.rawValue else {
                        throw CommandFailure("the exit of \(position) is \(PlasmaRootState.ExitStatus(rawValue: status).map { "\($0)" } ?? "unknown"); nothing to bridge")
                    }
                    guard Date() < deadline else { throw CommandFailure("the exit of \(position) did not finalize within 120 s of maturing") }
                    ledger.mainTransactions.append(try a.root.send("finalizeExit", minimumGas: 100_000 + UInt64(PlasmaRoot.maxFinalizedPerCall) * 120_000))
                }
                try ledger.report("finalize", ["output": .string(position.description)])
                let owed = try a.root.view("withdrawable", [.address(key.address)])[0].uintValue ?? .zero
                guard owed >= amount else {
                    throw CommandFailure("chain \(from) owes you \(owed) wei, less than the \(amount) exited: was it withdrawn already? "
                                         + "If the value never reached chain \(to), deposit it with `ankr plasma deposit --chain \(to)`")
                }
                ledger.mainTransactions.append(try a.root.send("withdraw"))
                ledger.withdrawn = owed
                try ledger.report("withdraw", ["amount": .string(owed.description)])

                // 5. Deposit into B and wait for its operator to include it.
                let depositHash = try bRoot.send("deposit", value: amount)
                ledger.mainTransactions.append(depositHash)
                guard let topics = ContractCall.topics(of: "Deposit", in: try confirmation.waitForSuccess(depositHash, resending: nil, with: transactor).logs, interface: PlasmaRoot.interface),
                      topics.count > 2, let block = topics[2].word.uint64 else { throw CommandFailure("no Deposit event in \(depositHash)") }
                let depositOutput = try UTXOPosition(blockNumber: block, txIndex: 0, outputIndex: 0)
                let included = Date().addingTimeInterval(120)
                while try !bOperator.utxos(key.address).contains(where: { $0.position == depositOutput }) {
                    guard Date() < included else { throw CommandFailure("chain \(to)'s operator did not include deposit \(depositOutput) within 120 s") }
                    Thread.sleep(forTimeInterval: 0.2)
                }
                try ledger.report("deposit", ["output": .string(depositOutput.description), "amount": .string(amount.description), "transaction": .string(depositHash.description)])
                try ledger.finish(amount: amount)
            }
        }
    }
}

/// The balances a bridge moves between, the main-chain transactions it paid gas for, and the
/// conservation check at the end.
struct BridgeLedger {
    let me: Address
    let rpc: RPCClient
    let a: ChildChainWallet
    let bOperator: OperatorClient
    var start: (a: UInt256, main: UInt256, b: UInt256)?
    var mainTransactions = [H256]()
    var childFee = UInt256.zero
    var bond = UInt256.zero
    var withdrawn = UInt256.zero
    var resumed = false

    init(me: Address, rpc: RPCClient, a: ChildChainWallet, bOperator: OperatorClient) {
        self.me = me; self.rpc = rpc; self.a = a; self.bOperator = bOperator
    }

    func balances() throws -> (a: UInt256, main: UInt256, b: UInt256) {
        (try a.balance(), try EthClient(rpc: rpc).balance(of: me), try bOperator.balance(me))
    }

    mutating func report(_ step: String, _ details: [String: JSON] = [:]) throws {
        let now = try balances()
        if start == nil { start = now }
        var line = details
        line["step"] = .string(step)
        line["balances"] = Self.json(now)
        JSONOutput.print(.object(line))
    }

    static func json(_ balances: (a: UInt256, main: UInt256, b: UInt256)) -> JSON {
        ["fromChain": .string(balances.a.description), "mainChain": .string(balances.main.description), "toChain": .string(balances.b.description)]
    }

    /// Gas paid on the main chain by the bridge's transactions.
    func gasPaid() throws -> UInt256 {
        let client = EthClient(rpc: rpc)
        var total = UInt256.zero
        for hash in mainTransactions {
            guard let r = try client.receipt(hash) else { throw CommandFailure("no receipt for \(hash)") }
            total = total &+ UInt256(r.gasUsed) &* r.effectiveGasPrice
        }
        return total
    }

    /// What each ledger gained or lost. On a full run: A lost the value (and the split's fee), B
    /// gained it, the main chain only paid gas (the bond and the value passed through; anything
    /// else the root owed you is reported as `alsoWithdrawn`).
    mutating func finish(amount: UInt256) throws {
        guard let start else { return }
        let end = try balances(), gas = try gasPaid()
        let passedThrough = amount &+ bond
        let extra = withdrawn >= passedThrough ? withdrawn &- passedThrough : .zero
        var line: [String: JSON] = ["step": "done", "amount": .string(amount.description), "mainChainGas": .string(gas.description),
                                    "fromChainLost": .string((start.a &- end.a).description), "toChainGained": .string((end.b &- start.b).description),
                                    "mainChainChange": .string(end.main >= start.main ? (end.main &- start.main).description : "-" + (start.main &- end.main).description),
                                    "alsoWithdrawn": .string(extra.description)]
        if !resumed {
            // Balances may move for other reasons meanwhile (someone pays you on A or B); then this says false and why.
            let fromOK = start.a &- end.a == amount &+ childFee
            let toOK = end.b &- start.b == amount
            let mainOK = end.main &+ gas == start.main &+ extra && withdrawn >= passedThrough
            line["conserved"] = .bool(fromOK && toOK && mainOK)
        }
        line["balances"] = Self.json(end)
        JSONOutput.print(.object(line))
    }
}
