import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// `eth_subscribe` / `eth_unsubscribe` over connections that have a session (WebSocket):
/// `newHeads` (each new head's header), `logs` (matching logs of new heads, and those a reorganization
/// removes with `removed: true`, in geth's order) and `newPendingTransactions` (hashes, or full
/// transactions with `true`). Over plain HTTP, `eth_subscribe` answers geth's "notifications not
/// supported" (-32601).
public struct SubscriptionNamespace: Sendable {
    /// Subscriptions one connection may hold.
    public static let defaultMaxPerSession = 128
    /// Subscriptions the node serves, all connections together.
    public static let defaultMaxTotal = 10_000

    let registry: SubscriptionRegistry

    public init(backend: RPCBackend, events: ChainEventFollower, limits: RPCLimits = RPCLimits(),
                maxPerSession: Int = Self.defaultMaxPerSession, maxTotal: Int = Self.defaultMaxTotal) {
        registry = SubscriptionRegistry(eth: EthNamespace(backend: backend, limits: limits), events: events, mempool: backend.mempool,
                                        maxPerSession: maxPerSession, maxTotal: maxTotal)
    }

    /// geth's answer to a subscription over a transport without notifications.
    static let notificationsUnsupported = RPCError(code: -32601, message: "notifications not supported")

    public func register(in table: RPCMethodTable) {
        table.register("eth_subscribe", session: { p, session in
            guard let session else { throw Self.notificationsUnsupported }
            guard let name = p.value(0)?.string else { throw RPCError.invalidParams("the first parameter must be the subscription name") }
            let kind: SubscriptionRegistry.Kind
            switch name {
            case "newHeads":
                try p.expect(min: 1, max: 1)
                kind = .newHeads
            case "logs":
                try p.expect(min: 1, max: 2)
                let filter = try LogFilter(criteria: p.has(1) ? try p.object(1, "filter") : [:])
                try filter.validateLive()
                kind = .logs(filter)
            case "newPendingTransactions":
                try p.expect(min: 1, max: 2)
                kind = .pendingTransactions(full: p.has(1) ? try p.bool(1, "fullTransactions") : false)
            default:
                // Echoed as geth does, cut short: the name is the client's.
                throw RPCError(code: -32601, message: "no \"\(name.prefix(64))\" subscription in eth namespace")
            }
            do throws(SubscriptionRegistry.SubscribeError) {
                return .string(try registry.subscribe(kind, session: session))
            } catch .tooManyForSession(let limit) {
                throw RPCError.server("too many subscriptions on this connection (the limit is \(limit))")
            } catch .tooManyInTotal(let limit) {
                throw RPCError.server("too many subscriptions on this node (the limit is \(limit))")
            }
        })
        table.register("eth_unsubscribe", session: { p, session in
            try p.expect(min: 1, max: 1)
            let id = try p.string(0, "subscription id")
            guard let session, registry.unsubscribe(id, session: session) else { throw RPCError.server("subscription not found") }
            return true
        })
    }
}
