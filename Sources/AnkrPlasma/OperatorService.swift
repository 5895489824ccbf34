import AnkrPrimitives
import Foundation
import Logging

/// Drives a ``PlasmaOperator`` against the main chain: pulls every `Deposit` of its root into the
/// chain and every `ExitStarted` out of its spendable set, builds a block when `blockSize` transactions are pending or `blockInterval` has passed
/// with any pending, and submits each block's root to PlasmaRoot, one block at a time.
///
/// A restart resumes cleanly: a block built but not known to be on the main chain is either found
/// there (same root) or submitted again.
public final class OperatorService: @unchecked Sendable {
    /// A condition the operator must not paper over (it stops).
    public struct Fatal: Error, CustomStringConvertible {
        public let description: String
    }

    public let chainOperator: PlasmaOperator
    public let root: RootContractClient
    public let blockInterval: TimeInterval
    public let blockSize: Int
    private let logger: Logger
    private var lastBlockAt = Date()
    private var storeChecked = false
    static let depositsScannedKey = "deposits.scanned"
    static let exitsScannedKey = "exits.scanned"

    public init(operator: PlasmaOperator, root: RootContractClient, blockInterval: TimeInterval, blockSize: Int, logger: Logger) {
        chainOperator = `operator`; self.root = root; self.blockInterval = blockInterval; self.blockSize = max(1, blockSize); self.logger = logger
    }

    /// One round: deposits, then the pending submission or a new block. Transport errors throw and
    /// the caller retries on the next round; ``Fatal`` means stop.
    public func tick() throws {
        if !storeChecked {
            try checkStoreMatchesTheMainChain()
            storeChecked = true
        }
        let head = try root.headNumber()
        try pullDeposits(upTo: head)
        try pullExits(upTo: head)
        if let waiting = chainOperator.blockAwaitingSubmission { return try submit(waiting) }
        let pending = chainOperator.pendingCount
        guard pending > 0, pending >= blockSize || Date().timeIntervalSince(lastBlockAt) >= blockInterval else { return }
        let number = try root.nextChildBlock()
        guard let block = try chainOperator.buildBlock(number: number) else { return }
        lastBlockAt = Date()
        logger.info("built child block", metadata: ["number": "\(block.number)", "transactions": "\(block.transactions.count)"])
        try submit(block)
    }

    /// A store left from another main chain (a devnet started afresh) must not be continued.
    private func checkStoreMatchesTheMainChain() throws {
        let ledger = chainOperator.ledgerSnapshot
        let latest = ledger.latestOperatorBlock
        if latest > 0, chainOperator.blockAwaitingSubmission?.number != latest {
            guard let ours = ledger.roots[latest], try root.root(of: latest) == ours else {
                throw Fatal(description: "this operator's store holds child block \(latest), which is not on the main chain: it belongs to another chain; use another --datadir")
            }
        }
        if let scanned = try chainOperator.store.meta(Self.depositsScannedKey), scanned > (try root.headNumber()) {
            throw Fatal(description: "this operator's store scanned the main chain to block \(scanned), past its head: it belongs to another chain; use another --datadir")
        }
    }

    private func submit(_ block: ChildBlock) throws {
        let merkleRoot = chainOperator.ledgerSnapshot.roots[block.number] ?? block.merkleRoot
        if let onChain = try root.root(of: block.number) {
            guard onChain == merkleRoot else {
                throw Fatal(description: "the main chain holds child block \(block.number) with root \(onChain), not ours (\(merkleRoot)): is another process using this operator key?")
            }
            return try chainOperator.markSubmitted(block.number)
        }
        let next = try root.nextChildBlock()
        guard next == block.number else {
            throw Fatal(description: "PlasmaRoot expects child block \(next) but block \(block.number) is waiting to be submitted")
        }
        let hash = try root.send("submitBlock", [.fixedBytes(merkleRoot.bytes)])
        try chainOperator.markSubmitted(block.number)
        logger.info("submitted child block root", metadata: ["number": "\(block.number)", "tx": "\(hash)"])
    }

    private func pullDeposits(upTo head: UInt64) throws {
        let scanned = try chainOperator.store.meta(Self.depositsScannedKey)
        let from = scanned.map { $0 + 1 } ?? 0
        guard from <= head else { return }
        let deposits = try root.events("Deposit", from: from, to: head).map { args in
            guard args.count == 3, let owner = args[0].addressValue, let number = args[1].uintValue?.uint64, let amount = args[2].uintValue else {
                throw Fatal(description: "a Deposit event of root \(root.address) has unexpected arguments")
            }
            logger.info("deposit", metadata: ["block": "\(number)", "owner": "\(owner.checksummed)", "amount": "\(amount)"])
            return PlasmaOperator.Deposit(block: number, owner: owner, amount: amount)
        }
        try chainOperator.record(deposits)
        try chainOperator.store.setMeta(Self.depositsScannedKey, head)
    }

    private func pullExits(upTo head: UInt64) throws {
        let from = try chainOperator.store.meta(Self.exitsScannedKey).map { $0 + 1 } ?? 0
        guard from <= head else { return }
        let exits = try root.events("ExitStarted", from: from, to: head).map { args in
            guard args.count >= 2, let position = args[1].uintValue?.uint64 else {
                throw Fatal(description: "an ExitStarted event of root \(root.address) has unexpected arguments")
            }
            logger.info("exit started", metadata: ["utxoPos": "\(position)"])
            return position
        }
        try chainOperator.recordExits(exits)
        try chainOperator.store.setMeta(Self.exitsScannedKey, head)
    }
}
