import AnkrPrimitives
import Foundation
import Logging

/// Drives a ``PlasmaOperator`` against the main chain: pulls every `Deposit` of its root into the
/// chain once its main-chain block is `depositConfirmations` deep, takes every `ExitStarted` out of
/// its spendable set as soon as it is seen, builds a block when `blockSize` transactions are pending
/// or `blockInterval` has passed with any pending, and submits each block's root to PlasmaRoot, one
/// block at a time.
///
/// Reorganisations: each deposit remembers the main-chain block it was read from, and the scan
/// remembers the block it reached. When that block's hash changes, every deposit above the newest
/// one still canonical is checked against the new chain: one mined again (same number, owner and
/// amount) stays; one that is gone is forgotten with the pending transactions spending it; one that
/// is gone but already spent in a child block stops the operator (``Fatal``), since that block's
/// root may be on the main chain and only a person can decide what to do with it. Exits are taken
/// at the head (the early side is the safe one: an exiting output must not be spent); the blocks
/// above the confirmed depth are read again every round, so an exit a reorganisation moves is
/// still seen. An output whose exit is reorganised away stays unspendable here (its owner can start
/// the exit again).
///
/// A restart resumes cleanly: a block built but not known to be on the main chain is either found
/// there (same root) or submitted again.
public final class OperatorService: @unchecked Sendable {
    /// A condition the operator must not paper over (it stops).
    public enum Fatal: Error, CustomStringConvertible {
        /// The store's newest submitted block is not on this main chain: the store is another chain's.
        case storeOfAnotherChain(latestBlock: UInt64)
        /// The store scanned the main chain past its head: the store is another chain's.
        case scannedPastTheHead(scanned: UInt64)
        /// The main chain holds another root for a block this operator built.
        case rootTaken(block: UInt64, onChain: H256, ours: H256)
        /// PlasmaRoot expects another child block than the one waiting to be submitted.
        case submissionOutOfOrder(expected: UInt64, waiting: UInt64)
        /// A root's event does not have the arguments PlasmaRoot declares.
        case malformedEvent(name: String, root: Address)
        /// A deposit reorganised away is spent in an operator block (or changed under it).
        case depositLost(PlasmaOperator.DepositProblem)

        public var description: String {
            switch self {
            case .storeOfAnotherChain(let latest):
                return "this operator's store holds child block \(latest), which is not on the main chain: it belongs to another chain; use another --datadir"
            case .scannedPastTheHead(let scanned):
                return "this operator's store scanned the main chain to block \(scanned), past its head: it belongs to another chain; use another --datadir"
            case .rootTaken(let block, let onChain, let ours):
                return "the main chain holds child block \(block) with root \(onChain), not ours (\(ours)): is another process using this operator key?"
            case .submissionOutOfOrder(let expected, let waiting):
                return "PlasmaRoot expects child block \(expected) but block \(waiting) is waiting to be submitted"
            case .malformedEvent(let name, let root):
                let article = name.first.map { "AEIOU".contains($0) } == true ? "an" : "a"
                return "\(article) \(name) event of root \(root) has unexpected arguments"
            case .depositLost(let problem): return "\(problem): stop; the child chain holds money the main chain does not"
            }
        }
    }

    /// The main chain is not yet where a deposit can be settled: retried on the next round.
    public enum Waiting: Error, CustomStringConvertible {
        /// The confirmed depth names a block the main chain does not have yet.
        case noMainChainBlock(UInt64)
        /// A spent deposit was mined again, not yet `confirmations` deep.
        case depositNotDeepYet(block: UInt64, spentBy: ChildChainLedger.Location, mainBlock: UInt64, confirmations: UInt64)
        /// The operator's account has a transaction in the main chain's pool (an earlier submission of
        /// `block` whose round failed waiting for it, perhaps): another would store the root twice.
        case submissionInFlight(block: UInt64, pendingNonce: UInt64, minedNonce: UInt64)

        public var description: String {
            switch self {
            case .noMainChainBlock(let n): return "the main chain has no block \(n) yet"
            case .depositNotDeepYet(let block, let by, let main, let confirmations):
                return "deposit \(block), spent by \(by), was mined again in main-chain block \(main): waiting until it is \(confirmations) deep"
            case .submissionInFlight(let block, let pending, let mined):
                return "a transaction of the operator's account is still pending on the main chain (nonce \(mined) of \(pending)): waiting before submitting block \(block)"
            }
        }
    }

    /// Main-chain blocks a deposit must be under before it is taken, unless told otherwise: a
    /// deposit in a block a reorganisation could still replace is money the root may never hold.
    public static let defaultDepositConfirmations: UInt64 = 6

    public let chainOperator: PlasmaOperator
    public let root: RootContractClient
    /// Where deposits, exits and block hashes are read (the root's node unless given).
    public let mainChain: any MainChainReader
    public let depositConfirmations: UInt64
    public let blockInterval: TimeInterval
    public let blockSize: Int
    private let logger: Logger
    private var lastBlockAt = Date()
    private var storeChecked = false
    static let depositsScannedKey = "deposits.scanned"
    static let exitsScannedKey = "exits.scanned"

    public init(operator: PlasmaOperator, root: RootContractClient, blockInterval: TimeInterval, blockSize: Int, logger: Logger,
                depositConfirmations: UInt64 = OperatorService.defaultDepositConfirmations, mainChain: (any MainChainReader)? = nil) {
        chainOperator = `operator`; self.root = root; self.blockInterval = blockInterval; self.blockSize = max(1, blockSize); self.logger = logger
        self.depositConfirmations = depositConfirmations
        self.mainChain = mainChain ?? root
    }

    /// One round: deposits, then the pending submission or a new block. Transport errors throw and
    /// the caller retries on the next round; ``Fatal`` means stop.
    public func tick() throws {
        if !storeChecked {
            try checkStoreMatchesTheMainChain()
            storeChecked = true
        }
        try followMainChain()
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
                throw Fatal.storeOfAnotherChain(latestBlock: latest)
            }
        }
        if let scanned = try chainOperator.store.meta(Self.depositsScannedKey), scanned > (try mainChain.headNumber()) {
            throw Fatal.scannedPastTheHead(scanned: scanned)
        }
    }

    private func submit(_ block: ChildBlock) throws {
        let merkleRoot = chainOperator.ledgerSnapshot.roots[block.number] ?? block.merkleRoot
        // The contract numbers submissions itself: a submission sent by an earlier round that failed while
        // waiting for it (or before a restart) and still pending would, with another, store the root as two
        // blocks. The nonces are read before the root, so a submission mined in between is seen by the root's
        // read; and the submission is signed with the mined nonce, so even a node that did not see the earlier
        // one (a load-balanced URL, a reorganisation that put it back in the pool) cannot have both mined.
        var nonces: (pending: UInt64, mined: UInt64)?
        if let account = root.transactor?.signer.address {
            nonces = (try root.client.nonce(of: account, block: .pending), try root.client.nonce(of: account, block: .latest))
        }
        if let onChain = try root.root(of: block.number) {
            guard onChain == merkleRoot else {
                throw Fatal.rootTaken(block: block.number, onChain: onChain, ours: merkleRoot)
            }
            return try chainOperator.markSubmitted(block.number)
        }
        if let nonces, nonces.pending > nonces.mined {
            throw Waiting.submissionInFlight(block: block.number, pendingNonce: nonces.pending, minedNonce: nonces.mined)
        }
        let next = try root.nextChildBlock()
        guard next == block.number else {
            throw Fatal.submissionOutOfOrder(expected: next, waiting: block.number)
        }
        let hash = try root.send("submitBlock", [.fixedBytes(merkleRoot.bytes)], nonce: nonces?.mined)
        try chainOperator.markSubmitted(block.number)
        logger.info("submitted child block root", metadata: ["number": "\(block.number)", "tx": "\(hash)"])
    }

    /// Brings deposits and exits up to date with the main chain's head (``tick`` does this first):
    /// undoes deposits a reorganisation took away, takes deposits `depositConfirmations` deep, and
    /// takes exits at the head.
    public func followMainChain() throws {
        let head = try mainChain.headNumber()
        try reconcileDeposits(head: head)
        try pullDeposits(head: head)
        try pullExits(head: head)
    }

    /// The newest block at the confirmation depth, nil while the chain is shorter than it.
    private func confirmed(_ head: UInt64) -> UInt64? { head >= depositConfirmations ? head - depositConfirmations : nil }

    private func deposit(_ log: MainChainLog) throws -> PlasmaOperator.Deposit {
        let args = log.arguments
        guard args.count == 3, let owner = args[0].addressValue, let number = args[1].uintValue?.uint64, let amount = args[2].uintValue else {
            throw Fatal.malformedEvent(name: "Deposit", root: root.address)
        }
        return PlasmaOperator.Deposit(block: number, owner: owner, amount: amount, anchor: log.block)
    }

    private func pullDeposits(head: UInt64) throws {
        guard let confirmed = confirmed(head) else { return }
        let scanned = try chainOperator.store.meta(Self.depositsScannedKey)
        if let scanned, scanned >= confirmed { return }
        let from = scanned.map { $0 + 1 } ?? 0
        // The hash is read before the logs: if the chain reorganises in between, the next round sees it.
        guard let tipHash = try mainChain.blockHash(at: confirmed) else { throw Waiting.noMainChainBlock(confirmed) }
        let deposits = try mainChain.logs("Deposit", from: from, to: confirmed).map(deposit)
        for d in deposits {
            logger.info("deposit", metadata: ["block": "\(d.block)", "owner": "\(d.owner.checksummed)", "amount": "\(d.amount)",
                                              "mainBlock": "\(d.anchor.map { "\($0.number)" } ?? "?")"])
        }
        try chainOperator.record(deposits)
        try chainOperator.store.setScan(Self.depositsScannedKey, to: MainChainAnchor(number: confirmed, hash: tipHash), mark: confirmed)
    }

    /// When the block the deposit scan reached is no longer canonical, checks every deposit above the
    /// newest one still canonical against the new chain, and rescans from there.
    private func reconcileDeposits(head: UInt64) throws {
        let store = chainOperator.store
        guard let tip = try store.scanAnchor(Self.depositsScannedKey), try mainChain.blockHash(at: tip.number) != tip.hash else { return }
        var hashes = [UInt64: H256?]()
        func canonical(_ a: MainChainAnchor) throws -> Bool {
            if let known = hashes[a.number] { return known == a.hash }
            let h = try mainChain.blockHash(at: a.number)
            hashes[a.number] = h
            return h == a.hash
        }
        // Block hashes chain: once one deposit's block is canonical, every older one is too.
        var base: MainChainAnchor?
        var suspects = [UInt64]()
        for (block, anchor) in chainOperator.depositAnchors.sorted(by: { ($0.value.number, $0.key) > ($1.value.number, $1.key) }) {
            if try canonical(anchor) { base = anchor; break }
            suspects.append(block)
        }
        logger.warning("the main chain reorganised below the deposit scan", metadata: ["scanned": "\(tip.number)", "canonicalFrom": "\(base.map { "\($0.number)" } ?? "genesis")",
                                                                                     "depositsToCheck": "\(suspects.count)"])
        let found: [PlasmaOperator.Deposit]
        if let base, base.number >= head {
            found = []
        } else {
            found = try mainChain.logs("Deposit", from: base.map { $0.number + 1 } ?? 0, to: head).map(deposit)
        }
        let byBlock = Dictionary(found.map { ($0.block, $0) }, uniquingKeysWith: { $1 })
        let ledger = chainOperator.ledgerSnapshot
        let settled = confirmed(head)
        var gone = [UInt64]()
        var moved = [PlasmaOperator.Deposit]()
        for block in suspects {
            let held = ledger.blocks[block]?.transactions.first
            guard let again = byBlock[block], let held, held.encoded == PlasmaTransaction.deposit(owner: again.owner, amount: again.amount).encoded,
                  let anchor = again.anchor else {
                gone.append(block)
                continue
            }
            if let settled, anchor.number <= settled {
                moved.append(again)
            } else if let by = ledger.spender(of: ChildChainLedger.Location(block: block, index: 0).position) {
                throw Waiting.depositNotDeepYet(block: block, spentBy: by, mainBlock: anchor.number, confirmations: depositConfirmations)
            } else {
                gone.append(block)  // taken again once deep enough
            }
        }
        do { try chainOperator.withdrawDeposits(gone) } catch let problem as PlasmaOperator.DepositProblem {
            throw Fatal.depositLost(problem)
        }
        for n in gone { logger.warning("deposit reorganised away; forgotten", metadata: ["block": "\(n)"]) }
        try chainOperator.record(moved)
        try store.setScan(Self.depositsScannedKey, to: base, mark: base?.number)
        if let exits = try store.meta(Self.exitsScannedKey), exits > (base?.number ?? 0) || base == nil {
            try store.setScan(Self.exitsScannedKey, to: nil, mark: base?.number)
        }
    }

    private func pullExits(head: UInt64) throws {
        let scanned = try chainOperator.store.meta(Self.exitsScannedKey)
        if let scanned, scanned >= head { return }
        let from = scanned.map { $0 + 1 } ?? 0
        let exits = try mainChain.logs("ExitStarted", from: from, to: head).map { log in
            guard log.arguments.count >= 2, let position = log.arguments[1].uintValue?.uint64 else {
                throw Fatal.malformedEvent(name: "ExitStarted", root: root.address)
            }
            return position
        }
        let new = exits.filter { !chainOperator.isExiting($0) }
        for p in new { logger.info("exit started", metadata: ["utxoPos": "\(p)"]) }
        try chainOperator.recordExits(new)
        // Only the confirmed part counts as scanned: the blocks above it are read again next round.
        if let settled = confirmed(head), settled >= from {
            try chainOperator.store.setScan(Self.exitsScannedKey, to: nil, mark: settled)
        }
    }
}
