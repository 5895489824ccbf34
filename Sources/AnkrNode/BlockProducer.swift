import AnkrChain
import AnkrConsensus
import AnkrPrimitives
import Foundation
import Logging

/// Produces blocks on the local head from the mempool: on every new transaction (`period` 0, like
/// `geth --dev`) or every `period` seconds (empty blocks included, so time moves on).
public final class BlockProducer: @unchecked Sendable {
    public let chain: Blockchain
    public let mempool: Mempool
    public let coinbase: Address
    public let period: TimeInterval
    private let queue = DispatchQueue(label: "ankr.block-producer")
    private var timer: DispatchSourceTimer?
    private let logger: Logger
    /// The pool's admitted count when the block being sealed was built (to notice newer transactions).
    public var templateAdmissions: UInt64 { lock.withLock { _templateAdmissions } }
    private var _templateAdmissions: UInt64 = 0
    private let lock = NSLock()

    /// Called with each block this producer made the head (the node announces it to peers).
    public var onProduced: (@Sendable (Block) -> Void)?

    public init(chain: Blockchain, mempool: Mempool, coinbase: Address, period: TimeInterval, logger: Logger = Logger(label: "ankr.miner")) {
        self.chain = chain
        self.mempool = mempool
        self.coinbase = coinbase
        self.period = period
        self.logger = logger
    }

    /// `period` < 0: this node never produces (a validator on a PoUW chain without `--mine`).
    public func start() {
        guard period > 0 else { return }
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + period, repeating: period)
        t.setEventHandler { [weak self] in self?.produce() }
        t.resume()
        timer = t
    }

    public func stop() {
        timer?.cancel()
        timer = nil
        queue.sync {}
    }

    /// Called after a transaction enters the pool.
    public func transactionAdded() {
        guard period == 0 else { return }
        queue.async { [weak self] in self?.produce() }
    }

    /// Builds, seals and imports one block; runs on the producer queue only.
    func produce() {
        do {
            let head = chain.head
            let state = chain.state(at: head)
            let admissions = mempool.admittedCount
            lock.withLock { _templateAdmissions = admissions }
            let candidates = try mempool.pending(state: state, baseFee: BaseFee.next(after: head))
            if period == 0 && candidates.isEmpty { return }
            let now = UInt64(Date().timeIntervalSince1970)
            // A PoUW block is stamped with the current time, never ahead of it (peers refuse blocks
            // from the future); when the last block already has this second, wait for the next.
            if chain.sealer is PoUWSealer && now <= head.timestamp { return }
            let (block, rejected) = try chain.produceBlock(candidates: candidates, coinbase: coinbase, timestamp: now)
            let sealed = try chain.sealer.seal(block)
            let result = try chain.importBlock(sealed)
            if case .newHead(let orphaned) = result {
                try mempool.update(state: chain.state(at: chain.head), head: chain.head, orphaned: orphaned)
                onProduced?(sealed)
            }
            for r in rejected { logger.notice("transaction left out", metadata: ["tx": "\(r.transaction.hash)", "reason": "\(r.reason)"]) }
            logger.info("produced block", metadata: ["number": "\(sealed.number)", "hash": "\(sealed.hash)", "txs": "\(sealed.transactions.count)", "gas": "\(sealed.header.gasUsed)"])
        } catch PoUWSealError.abandoned {
            // A new head arrived while mining; the next round starts from it.
        } catch {
            logger.error("block production failed", metadata: ["error": "\(error)"])
        }
    }
}
