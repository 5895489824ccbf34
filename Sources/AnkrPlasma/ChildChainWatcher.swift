import AnkrCrypto
import AnkrPrimitives
import AnkrRPC
import AnkrTrie
import Foundation
import Logging

/// Guards its owners' funds in one child chain without trusting the operator:
///
/// - follows every block whose root reaches PlasmaRoot, fetches it from the operator, checks it
///   hashes to that root and audits every transaction against its own ledger (``SpendRule``, double spends);
/// - an invalid block: submits the fraud proof (slashing the operator, rolling the chain back), then
///   exits every owner's outputs;
/// - a withheld block (root on the main chain, data not served for `withholdTimeout`): exits every
///   owner's outputs from the last blocks it could check;
/// - an exit of an output it has seen spent: challenges it with the spend and its confirm signature.
public final class ChildChainWatcher: @unchecked Sendable {
    public let root: RootContractClient
    public let operatorClient: OperatorClient
    public let owners: [PrivateKey]
    public let withholdTimeout: TimeInterval
    private let logger: Logger

    private var ledger = ChildChainLedger()
    private var nextBlock = PlasmaRootState.childBlockInterval
    private var depositsScanned: UInt64?
    private var exitsScanned: UInt64?
    private var withheldSince: [UInt64: Date] = [:]
    private var confirmations: [H256: [UInt8]] = [:]
    /// Exits seen on the main chain and not yet challenged (a spend may show up in a later block).
    private var openExits = Set<UInt64>()
    private var reportedUnchallengeable = Set<UInt64>()
    /// Transactions paying an owner whose confirm signatures are not published yet.
    private var unconfirmed = Set<H256>()
    /// Set once the chain is abandoned (fraud or withholding): owners' outputs were exited.
    public private(set) var abandoned: String?

    public init(root: RootContractClient, operator: OperatorClient, owners: [PrivateKey], withholdTimeout: TimeInterval, logger: Logger) {
        self.root = root; operatorClient = `operator`; self.owners = owners; self.withholdTimeout = withholdTimeout; self.logger = logger
    }

    /// What one round did, for the command's log and for tests.
    public enum Event: Sendable, Equatable {
        case checked(block: UInt64, transactions: Int)
        case fraudProven(block: UInt64, reason: String)
        case withheld(block: UInt64)
        case exited(position: UInt64, owner: Address)
        case challenged(position: UInt64)
    }

    /// One round over the main chain and the operator.
    public func tick() throws -> [Event] {
        var events = [Event]()
        let head = try root.headNumber()
        try followDeposits(head: head)
        if abandoned == nil {
            fetchConfirmations()
            try followBlocks(&events)
        }
        try challengeExits(head: head, &events)
        return events
    }

    private func followDeposits(head: UInt64) throws {
        let from = depositsScanned.map { $0 + 1 } ?? 0
        guard from <= head else { return }
        for args in try root.events("Deposit", from: from, to: head) {
            guard args.count == 3, let owner = args[0].addressValue, let number = args[1].uintValue?.uint64, let amount = args[2].uintValue else { continue }
            if ledger.blocks[number] == nil {
                ledger.apply(try ChildBlock(number: number, previousHeaderHash: .zero, transactions: [.deposit(owner: owner, amount: amount)]))
            }
        }
        depositsScanned = head
    }

    private func followBlocks(_ events: inout [Event]) throws {
        let latest = try root.latestBlock()
        while nextBlock <= latest, abandoned == nil {
            let n = nextBlock
            guard let onChain = try root.root(of: n) else { nextBlock += PlasmaRootState.childBlockInterval; continue }  // rolled back
            let served = try? operatorClient.block(n)
            guard let served, let tree = try? served.tree(), tree.root == onChain else {
                let since = withheldSince[n] ?? Date()
                withheldSince[n] = since
                if Date().timeIntervalSince(since) >= withholdTimeout {
                    logger.warning("child block withheld: exiting", metadata: ["block": "\(n)"])
                    events.append(.withheld(block: n))
                    abandon("block \(n) withheld", &events)
                }
                return
            }
            if let (reason, proof) = try fraudProof(served, tree: tree) {
                logger.warning("invalid child block: proving fraud", metadata: ["block": "\(n)", "reason": "\(reason)"])
                try root.send(proof.function, proof.args, minimumGas: 1_000_000)
                events.append(.fraudProven(block: n, reason: reason))
                abandon("block \(n) is invalid: \(reason)", &events)
                return
            }
            // Fraud-free, so every transaction decodes.
            let block = try ChildBlock(number: n, previousHeaderHash: served.previousHeaderHash,
                                       transactions: try served.transactions.map { try PlasmaTransaction(encoded: $0) })
            ledger.apply(block)
            cacheConfirmations(block)
            events.append(.checked(block: n, transactions: block.transactions.count))
            nextBlock += PlasmaRootState.childBlockInterval
        }
    }

    /// The reason and the PlasmaRoot call proving `served` invalid, or nil when it is valid.
    func fraudProof(_ served: OperatorClient.ServedBlock, tree: BinaryMerkleTree) throws -> (String, (function: String, args: [ABIValue]))? {
        let n = served.number
        var txs = [PlasmaTransaction]()
        for (i, raw) in served.transactions.enumerated() {
            guard let tx = try? PlasmaTransaction(encoded: raw) else {
                let pos = ChildChainLedger.Location(block: n, index: i).position
                return ("transaction \(i) does not decode",
                        ("proveInvalidTransaction", [.uint(UInt256(pos)), .bytes(raw), .bytes(try tree.proof(index: i)), .array([]), .array([])]))
            }
            txs.append(tx)
        }
        let block = try ChildBlock(number: n, previousHeaderHash: served.previousHeaderHash, transactions: txs)
        switch ledger.audit(block) {
        case nil:
            return nil
        case .invalid(let i, let violation)?:
            var inputTxs = [ABIValue](), inputProofs = [ABIValue]()
            for input in txs[i].inputs where !input.isNone {
                if let source = ledger.blocks[input.blockNumber], input.blockNumber < n {
                    let index = Int(input.txIndex)
                    inputTxs.append(.bytes(index < source.transactions.count ? source.transactions[index].encoded : []))
                    inputProofs.append(.bytes(try source.tree().proof(index: index)))
                } else {
                    inputTxs.append(.bytes([])); inputProofs.append(.bytes([]))
                }
            }
            let pos = ChildChainLedger.Location(block: n, index: i).position
            return ("\(violation)", ("proveInvalidTransaction", [.uint(UInt256(pos)), .bytes(txs[i].encoded), .bytes(try tree.proof(index: i)),
                                                                   .array(inputTxs), .array(inputProofs)]))
        case .doubleSpend(let i, let earlier)?:
            let earlierBlock = earlier.block == n ? block : ledger.blocks[earlier.block]
            guard let earlierBlock else { return nil }
            let a: [ABIValue] = [.uint(UInt256(earlier.position)), .bytes(earlierBlock.transactions[earlier.index].encoded),
                                 .bytes(try earlierBlock.tree().proof(index: earlier.index))]
            let b: [ABIValue] = [.uint(UInt256(ChildChainLedger.Location(block: n, index: i).position)), .bytes(txs[i].encoded),
                                 .bytes(try tree.proof(index: i))]
            return ("transaction \(i) spends an output already spent at \(earlier)", ("proveDoubleSpend", a + b))
        }
    }

    /// Keeps the confirm signatures of transactions paying an owner (an exit needs them), while the
    /// operator still answers. Senders publish them after the block lands, so missing ones are asked
    /// for again every round.
    private func cacheConfirmations(_ block: ChildBlock) {
        let mine = Set(owners.map(\.address))
        for tx in block.transactions where !tx.isDeposit && tx.outputs.contains(where: { mine.contains($0.owner) }) {
            unconfirmed.insert(tx.hash)
        }
        fetchConfirmations()
    }

    private func fetchConfirmations() {
        for hash in unconfirmed.prefix(64) {
            if let sigs = try? operatorClient.transaction(hash)?.confirmSignatures {
                confirmations[hash] = sigs
                unconfirmed.remove(hash)
            }
        }
    }

    /// Exits every owner's unspent output the ledger knows (from checked blocks only).
    private func abandon(_ why: String, _ events: inout [Event]) {
        abandoned = why
        let bond = (try? root.exitBond()) ?? .zero
        for key in owners {
            let owned = RootContractClient(client: root.client, chain: root.chain, transactor: Transactor(client: root.client, signer: key))
            for (position, _) in ledger.unspent(of: key.address) {
                do {
                    guard let args = try exitArguments(position, key: key) else {
                        logger.error("cannot exit: missing confirm signatures", metadata: ["output": "\(position)"]); continue
                    }
                    try owned.send("startExit", args, value: bond)
                    events.append(.exited(position: position.encoded, owner: key.address))
                    logger.notice("exit started", metadata: ["output": "\(position)", "owner": "\(key.address.checksummed)"])
                } catch {
                    logger.error("exit failed", metadata: ["output": "\(position)", "error": "\(error)"])
                }
            }
        }
    }

    /// `startExit` arguments for an owner's output: the transaction, its proof and its inputs' confirmations.
    func exitArguments(_ position: UTXOPosition, key: PrivateKey) throws -> [ABIValue]? {
        let at = ChildChainLedger.Location(block: position.blockNumber, index: Int(position.txIndex))
        guard let block = ledger.blocks[at.block], let root = ledger.roots[at.block], let tx = ledger.transaction(at: at) else { return nil }
        var confirms = [UInt8]()
        if !tx.isDeposit {
            let owners = ledger.spentOutputs(of: tx).map { $0?.owner }
            if owners.allSatisfy({ $0 == key.address }) {
                for _ in owners { confirms += try ConfirmSignature.sign(transaction: tx.hash, blockRoot: root, with: key) }
            } else if let known = confirmations[tx.hash] ?? (try? operatorClient.transaction(tx.hash)?.confirmSignatures) {
                confirms = known
            } else {
                return nil
            }
        }
        return [.uint(UInt256(position.encoded)), .bytes(tx.encoded), .bytes(try block.tree().proof(index: at.index)), .bytes(confirms)]
    }

    /// Challenges every new exit of an output this watcher has seen spent.
    private func challengeExits(head: UInt64, _ events: inout [Event]) throws {
        let from = exitsScanned.map { $0 + 1 } ?? 0
        if from <= head {
            for args in try root.events("ExitStarted", from: from, to: head) where args.count == 4 {
                if let position = args[1].uintValue?.uint64 { openExits.insert(position) }
            }
            exitsScanned = head
        }
        for position in openExits.sorted() {
            guard let spend = ledger.spender(of: position), let tx = ledger.transaction(at: spend), let block = ledger.blocks[spend.block] else { continue }
            let inputIndex = tx.inputs.compactMap(\.position).firstIndex { $0.encoded == position } ?? 0
            let sigs = confirmations[tx.hash] ?? (try? operatorClient.transaction(tx.hash)?.confirmSignatures)
            guard let sigs, sigs.count >= 65 * (inputIndex + 1) else {
                if reportedUnchallengeable.insert(position).inserted {
                    logger.error("cannot challenge an exit of a spent output yet: no confirm signature of the spend", metadata: ["output": "\(position)"])
                }
                continue
            }
            openExits.remove(position)
            // Only a queued exit can be challenged (it may have been challenged or cancelled already).
            guard (try? root.view("getExit", [.uint(UInt256(position))]))?.last?.uintValue == .one else { continue }
            do {
                try root.send("challengeExit", [.uint(UInt256(position)), .uint(UInt256(spend.position)), .bytes(tx.encoded),
                                                .bytes(try block.tree().proof(index: spend.index)),
                                                .bytes(Array(sigs[(65 * inputIndex)..<(65 * inputIndex + 65)]))])
                events.append(.challenged(position: position))
                logger.notice("challenged the exit of a spent output", metadata: ["output": "\(position)", "spent at": "\(spend)"])
            } catch {
                logger.error("challenge failed", metadata: ["output": "\(position)", "error": "\(error)"])
            }
        }
    }
}
