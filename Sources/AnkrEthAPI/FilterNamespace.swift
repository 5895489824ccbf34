import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The polling filters: `eth_newFilter`, `eth_newBlockFilter`, `eth_newPendingTransactionFilter`,
/// `eth_getFilterChanges`, `eth_getFilterLogs` and `eth_uninstallFilter`, as geth answers them
/// (ids like geth's, "filter not found" with -32000 for an unknown or expired id). Filters belong to
/// no connection: any client that knows an id may poll it.
public struct FilterNamespace: Sendable {
    /// geth's idle expiry.
    public static let defaultTimeout: Duration = .seconds(300)
    /// Filters installed at once, all clients together.
    public static let defaultMaxFilters = 1024
    /// Changes one filter may gather between polls before it is uninstalled.
    public static let defaultMaxBufferedChanges = 10_000
    /// Changes all filters together may hold (about 50 MB of logs at most, with their block headers).
    public static let defaultMaxTotalBufferedChanges = 100_000

    let eth: EthNamespace
    let registry: FilterRegistry

    /// `timeout`, `maxFilters`, `maxBufferedChanges`, `maxTotalBufferedChanges` and `now` are the bounds
    /// above and the clock of the idle expiry; tests shorten them.
    public init(backend: RPCBackend, events: ChainEventFollower, limits: RPCLimits = RPCLimits(), timeout: Duration = Self.defaultTimeout,
                maxFilters: Int = Self.defaultMaxFilters, maxBufferedChanges: Int = Self.defaultMaxBufferedChanges,
                maxTotalBufferedChanges: Int = Self.defaultMaxTotalBufferedChanges,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        eth = EthNamespace(backend: backend, limits: limits)
        registry = FilterRegistry(events: events, mempool: backend.mempool, timeout: timeout, maxFilters: maxFilters,
                                  maxBufferedChanges: maxBufferedChanges, maxTotalBufferedChanges: maxTotalBufferedChanges, now: now)
    }

    static let notFound = RPCError.server("filter not found")

    public func register(in table: RPCMethodTable) {
        table.register("eth_newFilter") { p in
            try p.expect(min: 1, max: 1)
            let filter = try LogFilter(criteria: try p.object(0, "filter"))
            try filter.validateLive()
            return .string(try install(.logs(filter)))
        }
        table.register("eth_newBlockFilter") { p in
            try p.expect(min: 0, max: 0)
            return .string(try install(.blocks))
        }
        table.register("eth_newPendingTransactionFilter") { p in
            try p.expect(min: 0, max: 1)
            return .string(try install(.pendingTransactions(full: p.has(0) ? try p.bool(0, "fullTransactions") : false)))
        }
        table.register("eth_getFilterChanges") { p in
            try p.expect(min: 1, max: 1)
            guard let changes = registry.poll(try p.string(0, "filter id")) else { throw Self.notFound }
            return .array(try changes.map(json))
        }
        // Runs the filter's query over stored blocks, like eth_getLogs.
        table.register("eth_getFilterLogs", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            guard case .logs(let filter)? = registry.kind(try p.string(0, "filter id")) else { throw Self.notFound }
            return try eth.logs(filter)
        }
        table.register("eth_uninstallFilter") { p in
            try p.expect(min: 1, max: 1)
            return .bool(registry.uninstall(try p.string(0, "filter id")))
        }
    }

    private func install(_ kind: FilterRegistry.Kind) throws -> String {
        do throws(FilterRegistry.InstallError) {
            return try registry.install(kind)
        } catch .tooManyFilters(let limit) {
            throw RPCError.server("too many filters installed (the limit is \(limit)); uninstall some or let them expire")
        }
    }

    private func json(_ change: FilterRegistry.Change) throws -> JSON {
        switch change {
        case .hash(let hash): return .string(hash.description)
        case .log(let log): return log.json(using: eth)
        case .transaction(let tx): return try eth.transactionJSON(tx, location: nil, baseFee: nil)
        }
    }
}
