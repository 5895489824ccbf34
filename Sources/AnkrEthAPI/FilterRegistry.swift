import AnkrChain
import AnkrPrimitives
import Foundation

/// The filters installed by `eth_newFilter`, `eth_newBlockFilter` and `eth_newPendingTransactionFilter`,
/// and what each gathered since it was last polled.
///
/// Bounded as geth is not: at most ``maxFilters`` at once; a filter that gathers more than
/// ``maxBufferedChanges`` unpolled changes is uninstalled (its next poll answers "filter not found", and
/// the client installs a new one) rather than grow; and when all filters together hold more
/// than ``maxTotalBufferedChanges`` (or ``maxTotalBufferedBytes``), the fullest (least polled) are uninstalled until they fit. A
/// filter not polled for ``timeout`` is uninstalled, as geth's idle expiry does.
final class FilterRegistry: @unchecked Sendable {
    enum Kind: Sendable {
        case logs(LogFilter)
        case blocks
        case pendingTransactions(full: Bool)
    }

    /// One gathered change: a new head's or pending transaction's hash, a log, or a full pending transaction.
    enum Change: Sendable {
        case hash(H256)
        case log(ChainEventLog)
        case transaction(Transaction)

        /// About what the change holds in memory and will take in the answer: counts come in entries, but one
        /// full pending transaction can be 128 KiB where a hash is 32 bytes.
        var weight: Int {
            switch self {
            case .hash: return 96
            case .log(let l): return 512 &+ l.log.data.count &+ 32 &* l.log.topics.count
            case .transaction(let tx): return 512 &+ tx.data.count &+ 64 &* tx.accessList.count
            }
        }
    }

    /// All filters together hold at most this many bytes of changes (``Change/weight``); past it the heaviest are
    /// uninstalled until they fit. Set from the count bound's share: a change the size of a transfer's log or hash
    /// never reaches it before the count bound does.
    static let maxTotalBufferedBytes = 256 << 20

    enum InstallError: Error, Equatable {
        /// ``maxFilters`` are installed already.
        case tooManyFilters(limit: Int)
    }

    private struct Installed {
        let kind: Kind
        var lastUsed: ContinuousClock.Instant
        var changes: [Change] = []
        /// The summed ``Change/weight`` of ``changes``.
        var bytes = 0
    }

    let timeout: Duration
    let maxFilters: Int
    let maxBufferedChanges: Int
    let maxTotalBufferedChanges: Int
    private let now: @Sendable () -> ContinuousClock.Instant

    private let lock = NSLock()
    private var filters: [String: Installed] = [:]
    private var subscriptions: (heads: EventFeed<ChainEvent>.Subscription, pending: EventFeed<AdmittedTransaction>.Subscription)?
    private let events: ChainEventFollower
    private let mempool: Mempool

    init(events: ChainEventFollower, mempool: Mempool, timeout: Duration, maxFilters: Int, maxBufferedChanges: Int,
         maxTotalBufferedChanges: Int, now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.events = events
        self.mempool = mempool
        self.timeout = timeout
        self.maxFilters = maxFilters
        self.maxBufferedChanges = maxBufferedChanges
        self.maxTotalBufferedChanges = maxTotalBufferedChanges
        self.now = now
        let heads = events.feed.subscribe { [weak self] in self?.deliver($0) }
        let pending = mempool.admissions.subscribe { [weak self] in self?.deliver($0) }
        subscriptions = (heads, pending)
    }

    deinit {
        if let subscriptions {
            events.feed.unsubscribe(subscriptions.heads)
            mempool.admissions.unsubscribe(subscriptions.pending)
        }
    }

    /// Installs a filter; returns its id.
    func install(_ kind: Kind) throws(InstallError) -> String {
        lock.lock()
        defer { lock.unlock() }
        let at = now()
        expire(at: at)
        guard filters.count < maxFilters else { throw .tooManyFilters(limit: maxFilters) }
        let id = SubscriptionID.random()
        filters[id] = Installed(kind: kind, lastUsed: at)
        return id
    }

    /// The filter's changes since the last poll (which restarts its idle clock); nil when no such
    /// filter is installed.
    func poll(_ id: String) -> [Change]? {
        lock.withLock {
            let at = now()
            expire(at: at)
            guard var filter = filters[id] else { return nil }
            let changes = filter.changes
            filter.changes = []
            filter.bytes = 0
            filter.lastUsed = at
            filters[id] = filter
            return changes
        }
    }

    /// The filter's kind, without polling it (geth's `eth_getFilterLogs` leaves the idle clock alone).
    func kind(_ id: String) -> Kind? {
        lock.withLock {
            expire(at: now())
            return filters[id]?.kind
        }
    }

    /// Uninstalls a filter; false when there was none.
    func uninstall(_ id: String) -> Bool {
        lock.withLock {
            expire(at: now())
            return filters.removeValue(forKey: id) != nil
        }
    }

    private func expire(at instant: ContinuousClock.Instant) {
        filters = filters.filter { instant - $0.value.lastUsed <= timeout }
    }

    private func deliver(_ event: ChainEvent) {
        gather { kind in
            switch kind {
            case .blocks: return event.added.map { .hash($0.hash) }
            case .logs(let filter): return event.logs.filter { filter.matches($0.log) && filter.admits(blockNumber: $0.header.number) }.map { .log($0) }
            case .pendingTransactions: return []
            }
        }
    }

    private func deliver(_ admitted: AdmittedTransaction) {
        gather { kind in
            guard case .pendingTransactions(let full) = kind else { return [] }
            return [full ? .transaction(admitted.transaction) : .hash(admitted.hash)]
        }
    }

    /// Appends to each live filter what `changes` gives it; a filter that would pass its bound is
    /// uninstalled, then the fullest ones until all fit the total bound.
    private func gather(_ changes: (Kind) -> [Change]) {
        lock.withLock {
            expire(at: now())
            var total = 0, totalBytes = 0
            for (id, filter) in filters {
                let new = changes(filter.kind)
                guard filter.changes.count + new.count <= maxBufferedChanges else {
                    filters[id] = nil
                    continue
                }
                let newBytes = new.reduce(0) { $0 &+ $1.weight }
                if !new.isEmpty {
                    filters[id]?.changes += new
                    filters[id]?.bytes = filter.bytes &+ newBytes
                }
                total += filter.changes.count + new.count
                totalBytes = totalBytes &+ filter.bytes &+ newBytes
            }
            while total > maxTotalBufferedChanges, let (id, fullest) = filters.max(by: { $0.value.changes.count < $1.value.changes.count }) {
                filters[id] = nil
                total -= fullest.changes.count
                totalBytes -= fullest.bytes
            }
            while totalBytes > Self.maxTotalBufferedBytes, let (id, heaviest) = filters.max(by: { $0.value.bytes < $1.value.bytes }) {
                filters[id] = nil
                totalBytes -= heaviest.bytes
            }
        }
    }
}
