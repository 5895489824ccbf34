import AnkrChain
import AnkrPrimitives
import Foundation
import Logging

/// Produces blocks on the local head from the mempool: on every new transaction (`period` 0, like
/// `geth --dev`) or every `period` seconds (empty blocks included, so time moves on).
///
/// It follows the pool's admissions (whichever door a transaction came by) and builds, seals and
/// imports each block once: the chain's import event then tells the pool and P2P.
public final class BlockProducer: @unchecked Sendable {
    public let chain: Blockchain
    public let mempool: Mempool
    public let coinbase: Address
    public let period: TimeInterval
    /// Whether a round with nothing to include still produces a block (time moves on); false for an application
    /// chain sealing on demand, whose every block the operator pays to commit on the main chain.
    public let producesEmptyBlocks: Bool
    private let queue = DispatchQueue(label: "ankr.block-producer")
    private var timer: DispatchSourceTimer?
    private var admissions: EventFeed<AdmittedTransaction>.Subscription?
    private let logger: Logger
    /// The pool's admitted count when the block being sealed was built (to notice newer transactions).
    private var templateAdmissions: UInt64 { lock.withLock { _templateAdmissions } }
    private var _templateAdmissions: UInt64 = 0
    /// Set by `stop`, so a seal in progress gives up instead of holding shutdown until it wins.
    private var stopping = false
    private let lock = NSLock()
    /// The most bytes a block's encoded transactions may take (an application chain's profile bounds what its
    /// operator can commit); nil: no bound beyond gas.
    public var maxTransactionBytes: Int? {
        get { lock.withLock { _maxTransactionBytes } }
        set { lock.withLock { _maxTransactionBytes = newValue } }
    }
    private var _maxTransactionBytes: Int?
    /// A sender whose transactions go first in every block, whatever their tip (an application chain's operator:
    /// its deposit relays must not wait behind paying users).
    public var firstSender: Address? {
        get { lock.withLock { _firstSender } }
        set { lock.withLock { _firstSender = newValue } }
    }
    private var _firstSender: Address?
    /// When set, only blocks holding a transaction from this sender are made (an application chain that owes overdue
    /// deposits: the root commits only blocks that apply more, so every block must carry the operator's relay).
    public var requiredSender: Address? {
        get { lock.withLock { _requiredSender } }
        set { lock.withLock { _requiredSender = newValue } }
    }
    private var _requiredSender: Address?
    /// A last check of each built block before it is sealed, given the block and its parent (an application chain's:
    /// its dispute witness stays within the profile's bound); nil: none. A block it refuses is built again from the
    /// first half of its transactions; a lone transaction it refuses leaves the pool, with its sender's later ones.
    public var blockCheck: (@Sendable (Block, BlockHeader) -> Bool)? {
        get { lock.withLock { _blockCheck } }
        set { lock.withLock { _blockCheck = newValue } }
    }
    private var _blockCheck: (@Sendable (Block, BlockHeader) -> Bool)?
    /// While true no block is made: an application chain's operator holds until its node has caught up with what the
    /// main chain committed (sealing a committed height again would contradict its earlier seal, a slashable
    /// equivocation). Releasing it makes a block at once if one is due.
    public var holding: Bool {
        get { lock.withLock { _holding } }
        set {
            let released = lock.withLock { () -> Bool in
                defer { _holding = newValue }
                return _holding && !newValue
            }
            if released { queue.async { [weak self] in self?.produce() } }
        }
    }
    private var _holding = false

    public init(chain: Blockchain, mempool: Mempool, coinbase: Address, period: TimeInterval, producesEmptyBlocks: Bool = true,
                logger: Logger = Logger(label: "ankr.miner")) {
        self.chain = chain
        self.mempool = mempool
        self.coinbase = coinbase
        self.period = period
        self.producesEmptyBlocks = producesEmptyBlocks
        self.logger = logger
    }

    /// `period` < 0: this node never produces (a validator on a PoUW chain without `--mine`).
    public func start() {
        if period == 0 {
            admissions = mempool.admissions.subscribe { [weak self] _ in
                guard let self else { return }
                self.queue.async { [weak self] in self?.produce() }
            }
        }
        guard period > 0 else { return }
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + period, repeating: period)
        t.setEventHandler { [weak self] in self?.produce() }
        t.resume()
        timer = t
    }

    public func stop() {
        lock.withLock { stopping = true }
        if let admissions { mempool.admissions.unsubscribe(admissions) }
        admissions = nil
        timer?.cancel()
        timer = nil
        queue.sync {}
    }

    /// Whether to give up sealing the block built on `parent` at `timestamp`: stopping the producer or a
    /// new head ends it; so do transactions that arrived after it was built, at most once a second.
    /// Re-templating costs nothing: each PoUW subtask's lottery draw is independent.
    private func shouldStop(parent: H256, timestamp: UInt64) -> Bool {
        lock.withLock { stopping } || chain.head.hash != parent
            || (mempool.admittedCount != templateAdmissions && UInt64(Date().timeIntervalSince1970) > timestamp)
    }

    /// Builds, seals and imports one block; runs on the producer queue only.
    func produce() {
        guard !holding else { return }
        do {
            guard let (built, candidates) = try nextBlock(at: UInt64(Date().timeIntervalSince1970)) else { return }
            let header = built.block.header
            let sealed = try chain.sealer.seal(built.block, chain: chain) { [self] in
                shouldStop(parent: header.parentHash, timestamp: header.timestamp)
            }
            try chain.importBlock(built, sealed: sealed)
            for r in built.rejected { logger.notice("transaction left out", metadata: ["tx": "\(r.transaction.hash)", "reason": "\(r.reason)"]) }
            // On demand, nothing else wakes the producer for what this block had no room for: go again (each such round
            // includes a transaction, so this ends).
            if period == 0 && !sealed.transactions.isEmpty && sealed.transactions.count < candidates {
                queue.async { [weak self] in self?.produce() }
            }
            logger.info("produced block", metadata: ["number": "\(sealed.number)", "hash": "\(sealed.hash)", "txs": "\(sealed.transactions.count)", "gas": "\(sealed.header.gasUsed)"])
        } catch SealError.abandoned {
            // A new head or newer transactions: the next round starts from the head.
        } catch {
            logger.error("block production failed", metadata: ["error": "\(error)"])
        }
    }

    /// The block this producer would seal next on the head at time `now` (unsealed, not imported), and how many pool
    /// transactions were candidates; nil when it would make none. Exactly what ``start()``'s rounds build — the pool's
    /// order, the byte bound, ``blockCheck`` and its drops — so a benchmark can time the producer's own path.
    public func nextBlock(at now: UInt64) throws -> (block: BuiltBlock, candidates: Int)? {
        let head = chain.head
        let state = chain.state(at: head)
        let admissions = mempool.admittedCount
        lock.withLock { _templateAdmissions = admissions }
        var candidates = try mempool.pending(state: state, baseFee: BaseFee.next(after: head))
        if let first = firstSender {
            // A stable partition: the sender's own transactions keep their nonce order.
            candidates = candidates.filter { $0.1 == first } + candidates.filter { $0.1 != first }
        }
        if (period == 0 || !producesEmptyBlocks) && candidates.isEmpty { return nil }
        let required = requiredSender
        if let required, !candidates.contains(where: { $0.1 == required }) { return nil }
        // A wall-clock sealer's block is stamped with the current time, never ahead of it (peers
        // refuse blocks from the future); when the last block already has this second, wait for the next.
        if chain.sealer.stampsWallClock && now <= head.timestamp { return nil }
        let limit = maxTransactionBytes
        var built = try chain.produceBlock(candidates: candidates, coinbase: coinbase, timestamp: now, maxTransactionBytes: limit)
        if let check = blockCheck { built = try fitting(built, candidates: candidates, parent: head, timestamp: now, check: check) }
        if !producesEmptyBlocks && built.block.transactions.isEmpty {
            // Nothing could go in: no block (each would cost its operator a commitment). A transaction larger than
            // any block can take would otherwise come back every round.
            for r in built.rejected where limit.map({ r.transaction.encoded.count > $0 }) == true {
                mempool.drop(r.transaction.hash)
                logger.notice("transaction dropped: larger than any block", metadata: ["tx": "\(r.transaction.hash)", "bytes": "\(r.transaction.encoded.count)"])
            }
            return nil
        }
        if let required {
            let theirs = Set(candidates.filter { $0.1 == required }.map(\.0.hash))
            guard built.block.transactions.contains(where: { theirs.contains($0.hash) }) else { return nil }
        }
        return (built, candidates.count)
    }

    /// `built`, or the largest block from the front of its transactions that `check` accepts, found by bisection on
    /// how many of them it takes. The first transaction is tried alone first: one refused alone leaves the pool (the
    /// ``firstSender``'s waits instead) at the cost of one build, and the search starts again from the rest, so a
    /// stranger's transaction cannot hold up everyone's. At most 24 builds; then the best block found, or none of the
    /// pool's transactions.
    private func fitting(_ first: BuiltBlock, candidates: [(Transaction, Address)], parent: BlockHeader, timestamp: UInt64,
                         check: (Block, BlockHeader) -> Bool) throws -> BuiltBlock {
        var remaining = candidates, built = first, budget = 24
        func build(_ pool: [(Transaction, Address)]) throws -> BuiltBlock {
            budget -= 1
            return try chain.produceBlock(candidates: pool, coinbase: coinbase, timestamp: timestamp, maxTransactionBytes: maxTransactionBytes)
        }
        func accepted(_ b: BuiltBlock) throws -> Bool {
            // Built on a head that arrived since: start the round again.
            guard b.block.header.parentHash == parent.hash else { throw SealError.abandoned }
            return b.block.transactions.isEmpty || check(b.block, parent)
        }
        while budget > 0 {
            if try accepted(built) { return built }
            let order = built.block.transactions
            guard let lead = order.first else { break }
            let alone = try build(remaining.filter { $0.0.hash == lead.hash })
            guard try accepted(alone) else {
                let sender = remaining.first { $0.0.hash == lead.hash }?.1
                if let sender, sender == firstSender {
                    // The operator's own (its deposit relays are sized to pass): left for a later round, never dropped.
                    logger.error("the operator's own transaction fails the chain's block check alone", metadata: ["tx": "\(lead.hash)"])
                    remaining.removeAll { $0.1 == sender }
                } else {
                    remaining.removeAll { $0.1 == sender && $0.0.nonce >= lead.nonce }
                    mempool.drop(lead.hash)
                    logger.notice("transaction dropped: a block holding it alone fails the chain's check", metadata: ["tx": "\(lead.hash)"])
                }
                guard budget > 0 else { break }
                built = try build(remaining)
                continue
            }
            // `fits` transactions from the front make an acceptable block, `fails` do not.
            var best = alone, fits = 1, fails = order.count
            while fails - fits > 1 && budget > 0 {
                let mid = fits + (fails - fits) / 2
                let keep = Set(order.prefix(mid).map(\.hash))
                let candidate = try build(remaining.filter { keep.contains($0.0.hash) })
                if try accepted(candidate) { fits = mid; best = candidate } else { fails = mid }
            }
            return best
        }
        return try chain.produceBlock(candidates: [], coinbase: coinbase, timestamp: timestamp)
    }
}
