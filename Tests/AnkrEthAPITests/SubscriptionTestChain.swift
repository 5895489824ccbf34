import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTestSupport
import Foundation

/// A chain with the test Counter contract (its `increment` emits `Incremented`), a pool that takes
/// submissions, and helpers that build blocks on any parent, so tests can fork and reorganize it.
final class SubscriptionTestChain: RPCBackend, @unchecked Sendable {
    static let chainID: UInt64 = 7331
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let counter = CounterContract()
    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "Ankr/test"
    let table = RPCMethodTable()
    let events: ChainEventFollower

    init(filterTimeout: Duration = FilterNamespace.defaultTimeout, maxFilters: Int = FilterNamespace.defaultMaxFilters,
         maxBufferedChanges: Int = FilterNamespace.defaultMaxBufferedChanges,
         maxTotalBufferedChanges: Int = FilterNamespace.defaultMaxTotalBufferedChanges, maxPerSession: Int = SubscriptionNamespace.defaultMaxPerSession,
         maxTotal: Int = SubscriptionNamespace.defaultMaxTotal, maxReorgDepth: Int = ChainEventFollower.defaultMaxReorgDepth,
         maxEventLogs: Int = ChainEventFollower.defaultMaxLogs,
         now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) throws {
        let rich = UInt256(1_000_000_000_000_000_000)
        chain = try Blockchain(database: ChainDatabase(),
                               genesis: Genesis(chainID: Self.chainID, alloc: [alice.address: .init(balance: rich), bob.address: .init(balance: rich)]),
                               systemContracts: SystemContractRegistry([counter]))
        mempool = Mempool(chainID: Self.chainID, systemContracts: chain.executor.systemContracts)
        events = ChainEventFollower(chain: chain, maxReorgDepth: maxReorgDepth, maxLogs: maxEventLogs, delivery: .synchronous)
        EthNamespace(backend: self).register(in: table)
        FilterNamespace(backend: self, events: events, timeout: filterTimeout, maxFilters: maxFilters, maxBufferedChanges: maxBufferedChanges,
                        maxTotalBufferedChanges: maxTotalBufferedChanges, now: now).register(in: table)
        SubscriptionNamespace(backend: self, events: events, maxPerSession: maxPerSession, maxTotal: maxTotal).register(in: table)
    }

    func submit(_ transaction: Transaction) throws -> H256 {
        try mempool.add(transaction, state: chain.state(at: chain.head), head: chain.head)
    }

    /// `increment(by)` from `key`, signed.
    func increment(_ by: UInt64, from key: PrivateKey, nonce: UInt64) throws -> Transaction {
        try Transaction.dynamicFee(chainID: Self.chainID, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                   gasLimit: 100_000, to: counter.address, value: .zero,
                                   data: ABI.encodeCall("increment(uint256)", [.uint(UInt256(by))])).signed(with: key)
    }

    /// A child of `parent` holding `txs`, built on the stored state but not imported; `coinbase` tells forks apart.
    func block(on parent: BlockHeader, _ txs: [Transaction] = [], coinbase: UInt8 = 0) throws -> Block {
        try chain.executor.produce(parent: parent, candidates: txs.map { ($0, try $0.recoverSender()) },
                                   coinbase: Address([UInt8](repeating: coinbase, count: 20)), timestamp: parent.timestamp + 1,
                                   state: chain.state(at: parent)).block
    }

    /// Builds and imports a child of the head.
    @discardableResult
    func extend(_ txs: [Transaction] = [], coinbase: UInt8 = 0) throws -> Block {
        let b = try block(on: chain.head, txs, coinbase: coinbase)
        try chain.importBlock(b)
        return b
    }

    /// Calls `method` over HTTP (no session) or over `session`.
    func rpc(_ method: String, _ params: String, session: (any RPCSession)? = nil) throws -> JSON {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        guard let reply = table.handle(body: Data(body.utf8), session: session) else { throw SubscriptionTestError.noReply(method) }
        return try JSON(parsing: reply)
    }

    /// The result of a call that must succeed.
    func result(_ method: String, _ params: String, session: (any RPCSession)? = nil) throws -> JSON {
        let reply = try rpc(method, params, session: session)
        guard let result = reply["result"] else { throw SubscriptionTestError.failed(method, reply["error"] ?? .null) }
        return result
    }

    /// The (code, message) of a call that must fail.
    func error(_ method: String, _ params: String, session: (any RPCSession)? = nil) throws -> (code: Int64, message: String) {
        let reply = try rpc(method, params, session: session)
        guard let e = reply["error"], let code = e["code"]?.int, let message = e["message"]?.string else {
            throw SubscriptionTestError.succeeded(method, params)
        }
        return (code, message)
    }
}
