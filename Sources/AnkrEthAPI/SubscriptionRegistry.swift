import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation

/// The live `eth_subscribe` subscriptions of every connection, fed by the chain's new heads and the
/// pool's admissions. A subscription lives until `eth_unsubscribe` or the end of its connection.
///
/// Each event's JSON is built once and shared by every subscriber (a header, a log, a pending
/// transaction), so the work per event grows with the matches, not with JSON building per
/// subscriber. Notifications are queued on the session, which never blocks and drops a connection
/// that cannot keep up (``RPCSession/notify(_:)``).
final class SubscriptionRegistry: @unchecked Sendable {
    enum Kind: Sendable {
        case newHeads
        case logs(LogFilter)
        case pendingTransactions(full: Bool)
    }

    enum SubscribeError: Error, Equatable {
        /// The connection holds ``maxPerSession`` subscriptions already.
        case tooManyForSession(limit: Int)
        /// The node serves ``maxTotal`` subscriptions already.
        case tooManyInTotal(limit: Int)
    }

    private struct Active {
        let session: any RPCSession
        let kind: Kind
    }

    let maxPerSession: Int
    let maxTotal: Int
    private let eth: EthNamespace
    private let lock = NSLock()
    private var active: [String: Active] = [:]
    /// Subscription ids by connection; a connection is listed from its first subscription to its close.
    private var bySession: [UInt64: Set<String>] = [:]
    private var subscriptions: (heads: EventFeed<ChainEvent>.Subscription, pending: EventFeed<AdmittedTransaction>.Subscription)?
    private let events: ChainEventFollower
    private let mempool: Mempool

    init(eth: EthNamespace, events: ChainEventFollower, mempool: Mempool, maxPerSession: Int, maxTotal: Int) {
        self.eth = eth
        self.events = events
        self.mempool = mempool
        self.maxPerSession = maxPerSession
        self.maxTotal = maxTotal
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

    /// Starts a subscription on `session`; returns its id.
    func subscribe(_ kind: Kind, session: any RPCSession) throws(SubscribeError) -> String {
        let sessionID = session.sessionID
        let id = SubscriptionID.random()
        lock.lock()
        guard active.count < maxTotal else { lock.unlock(); throw .tooManyInTotal(limit: maxTotal) }
        let existing = bySession[sessionID]
        guard (existing?.count ?? 0) < maxPerSession else { lock.unlock(); throw .tooManyForSession(limit: maxPerSession) }
        active[id] = Active(session: session, kind: kind)
        bySession[sessionID, default: []].insert(id)
        lock.unlock()
        // Outside the lock: a session that has already ended runs the handler at once.
        if existing == nil {
            session.onClose { [weak self] in self?.close(sessionID) }
        }
        return id
    }

    /// Ends subscription `id` if `session` holds it (a connection cannot end another's, as in geth).
    func unsubscribe(_ id: String, session: any RPCSession) -> Bool {
        lock.withLock {
            guard bySession[session.sessionID]?.remove(id) != nil else { return false }
            active[id] = nil
            return true
        }
    }

    private func close(_ sessionID: UInt64) {
        lock.withLock {
            for id in bySession.removeValue(forKey: sessionID) ?? [] { active[id] = nil }
        }
    }

    private var snapshot: [(String, Active)] { lock.withLock { active.map { ($0.key, $0.value) } } }

    private func deliver(_ event: ChainEvent) {
        let subscribers = snapshot
        guard !subscribers.isEmpty else { return }
        // Every block that joined the canonical chain, oldest first (several when heads were coalesced or on a reorg).
        var headers: [JSON]?
        var logs = [Int: JSON]()
        for (id, subscriber) in subscribers {
            switch subscriber.kind {
            case .newHeads:
                let built = headers ?? event.added.compactMap { try? headJSON($0) }
                headers = built
                for header in built {
                    guard notify(subscriber.session, id, header) else { break }
                }
            case .logs(let filter):
                for (i, log) in event.logs.enumerated() where filter.matches(log.log) && filter.admits(blockNumber: log.header.number) {
                    let json = logs[i] ?? log.json(using: eth)
                    logs[i] = json
                    // A connection dropped as too slow takes no more: its subscriptions end with it.
                    guard notify(subscriber.session, id, json) else { break }
                }
            case .pendingTransactions:
                continue
            }
        }
    }

    private func deliver(_ admitted: AdmittedTransaction) {
        let subscribers = snapshot
        var full: JSON?
        for (id, subscriber) in subscribers {
            guard case .pendingTransactions(let wantsFull) = subscriber.kind else { continue }
            if wantsFull {
                if full == nil { full = try? eth.transactionJSON(admitted.transaction, location: nil, baseFee: nil) }
                if let full { notify(subscriber.session, id, full) }
            } else {
                notify(subscriber.session, id, .string(admitted.hash.description))
            }
        }
    }

    /// A header as `newHeads` shows it: the block as `eth_getBlockByNumber` shows it, without the body's
    /// fields (geth's `RPCMarshalHeader`) and without the decoded `seal` (no geth header has one, and
    /// web3.py formats a subscription result as a header only when nearly all its fields are geth's).
    private func headJSON(_ header: BlockHeader) throws -> JSON {
        guard case .object(var members) = try eth.blockJSON(header, full: false) else { return .null }
        for key in ["transactions", "uncles", "size", "totalDifficulty", "withdrawals", "seal"] { members[key] = nil }
        return .object(members)
    }

    @discardableResult
    private func notify(_ session: any RPCSession, _ id: String, _ result: JSON) -> Bool {
        session.notify(["jsonrpc": "2.0", "method": "eth_subscription", "params": ["subscription": .string(id), "result": result]])
    }
}
