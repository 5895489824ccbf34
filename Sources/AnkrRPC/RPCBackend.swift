import AnkrChain
import AnkrPrimitives

/// What namespaces need from a node: the chain, the pool, and a way to submit transactions.
public protocol RPCBackend: Sendable {
    var chain: Blockchain { get }
    var mempool: Mempool { get }
    var clientVersion: String { get }
    /// Admits a transaction to the pool and tells the block producer; returns its hash.
    func submit(_ transaction: Transaction) throws -> H256
}
