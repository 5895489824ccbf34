import AnkrChain
import AnkrPrimitives
import Foundation

/// Follows ``Blockchain/imports`` and turns each new head into a ``ChainEvent``: on a plain extension
/// the head alone; on a reorganization it walks both branches back to their common ancestor and
/// reports the blocks (and logs) that left and joined the canonical chain. Subscriptions and filters
/// both follow ``feed``.
///
/// The work (reading receipts, matching every filter and subscription, queueing notifications) runs on the
/// follower's own serial queue, never on the importer's thread: the chain holds its import lock while it
/// tells its followers, and a node with thousands of subscribers must not stall block import. Heads that
/// arrive while an event is being delivered are coalesced: the next event moves from the last head
/// delivered to the newest one, with every block (and log) in between, as geth reports a batch import.
public final class ChainEventFollower: @unchecked Sendable {
    /// Where events are built and sent.
    public enum Delivery: Sendable {
        /// On the follower's serial queue (nodes).
        case background
        /// On the importer's thread, one event per new head (unit tests that check each event in lockstep).
        case synchronous
    }

    /// At most this many blocks of each branch are walked back on a reorganization by default: a
    /// deeper one (no PoUW chain reorganizes that far in practice) reports only that many, marked truncated.
    public static let defaultMaxReorgDepth = 1024

    public let maxReorgDepth: Int

    /// At most this many logs are collected for one event by default (a block full of the cheapest
    /// logs holds about 80,000; a deep reorganization of such blocks would hold millions): past it the
    /// event is marked truncated and carries the first ones.
    public static let defaultMaxLogs = 200_000

    public let maxLogs: Int

    public let chain: Blockchain
    /// Every new head, in import order.
    public let feed = EventFeed<ChainEvent>()

    private let lock = NSLock()
    /// The head the last event ended on (read and written under ``lock``).
    private var last: BlockHeader
    /// The newest head not yet turned into an event; set means a drain is scheduled on ``queue``.
    private var waiting: Block?
    private let queue = DispatchQueue(label: "ankr.chain-events")
    private var subscription: EventFeed<BlockImport>.Subscription?

    public init(chain: Blockchain, maxReorgDepth: Int = ChainEventFollower.defaultMaxReorgDepth, maxLogs: Int = ChainEventFollower.defaultMaxLogs,
                delivery: Delivery = .background) {
        self.chain = chain
        self.maxReorgDepth = maxReorgDepth
        self.maxLogs = maxLogs
        last = chain.head
        // Weak: the chain's feed holds this handler, and the follower must be free to go.
        subscription = chain.imports.subscribe { [weak self] imported in
            guard let self, imported.isNewHead else { return }
            switch delivery {
            case .synchronous: self.follow(imported.block)
            case .background: self.schedule(imported.block)
            }
        }
    }

    /// Notes `head` as the newest and makes sure a drain will pick it up; the importer pays only this.
    private func schedule(_ head: Block) {
        let idle = lock.withLock {
            let idle = waiting == nil
            waiting = head
            return idle
        }
        if idle { queue.async { [weak self] in self?.drain() } }
    }

    private func drain() {
        guard let head = lock.withLock({ () -> Block? in
            defer { waiting = nil }
            return waiting
        }) else { return }
        follow(head)
    }

    /// Returns once every head imported before the call has been delivered (tests and tools that
    /// need to observe the events of what they just imported).
    public func waitUntilDelivered() { queue.sync {} }

    deinit {
        if let subscription { chain.imports.unsubscribe(subscription) }
    }

    /// Turns the move from the last head to `head` into an event and sends it (one caller at a time: the
    /// queue, or the importer in synchronous delivery).
    func follow(_ head: Block) {
        let from = lock.withLock { last }
        let change = event(from: from, to: head)
        lock.withLock { last = head.header }
        feed.send(change)
    }

    /// The event that moves the canonical chain from `old` to `head`. A store that cannot read an
    /// ancestor (a fault, not an input) still reports the new head, with the logs it can read.
    public func event(from old: BlockHeader, to head: Block) -> ChainEvent {
        do {
            return try walk(from: old, to: head)
        } catch {
            var logs = [ChainEventLog]()
            if let receipts = try? chain.receipts(blockHash: head.hash) { logs = ChainEventLog.logs(in: head, receipts: receipts, removed: false) }
            return ChainEvent(head: head.header, removed: [], added: [head.header], logs: logs, truncated: true)
        }
    }

    private func walk(from old: BlockHeader, to head: Block) throws -> ChainEvent {
        var added = [BlockHeader](), removed = [BlockHeader]()
        var truncated = false
        if head.header.parentHash == old.hash {
            added = [head.header]
        } else {
            // Step the higher side back until both meet; equal heights step the new side first.
            var newSide = head.header, oldSide = old
            while newSide.hash != oldSide.hash {
                guard added.count < maxReorgDepth, removed.count < maxReorgDepth, newSide.number > 0 || oldSide.number > 0 else {
                    truncated = true
                    break
                }
                if newSide.number >= oldSide.number {
                    added.append(newSide)
                    newSide = try parent(of: newSide)
                } else {
                    removed.append(oldSide)
                    oldSide = try parent(of: oldSide)
                }
            }
            added.reverse()
            removed.reverse()
        }
        var logs = [ChainEventLog]()
        for (header, wasRemoved) in removed.map({ ($0, true) }) + added.map({ ($0, false) }) {
            let receipts = try receipts(header.hash)
            let room = maxLogs - logs.count
            guard room > 0 else {
                if receipts.contains(where: { !$0.logs.isEmpty }) { truncated = true }
                continue
            }
            let blockLogs = ChainEventLog.logs(in: header.hash == head.hash ? head : try block(header.hash), receipts: receipts, removed: wasRemoved)
            if blockLogs.count > room { truncated = true }
            logs += blockLogs.prefix(room)
        }
        return ChainEvent(head: head.header, removed: removed, added: added, logs: logs, truncated: truncated)
    }

    private func parent(of header: BlockHeader) throws -> BlockHeader {
        guard let parent = try chain.header(hash: header.parentHash) else { throw BlockchainError.corrupt("missing ancestor \(header.parentHash)") }
        return parent
    }

    private func block(_ hash: H256) throws -> Block {
        guard let block = try chain.block(hash: hash) else { throw BlockchainError.corrupt("missing block \(hash)") }
        return block
    }

    private func receipts(_ hash: H256) throws -> [Receipt] {
        guard let receipts = try chain.receipts(blockHash: hash) else { throw BlockchainError.corrupt("missing receipts of \(hash)") }
        return receipts
    }
}
