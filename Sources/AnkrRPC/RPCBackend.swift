import AnkrChain
import AnkrP2P
import AnkrPrimitives

/// What the RPC layer needs from a node: the chain, the pool, and a way to submit transactions.
public protocol RPCBackend: Sendable {
    var chain: Blockchain { get }
    var mempool: Mempool { get }
    var clientVersion: String { get }
    /// Admits a transaction to the pool and tells the block producer; returns its hash.
    func submit(_ transaction: Transaction) throws -> H256
    /// The peer-to-peer service, when the node runs one.
    var network: PeerNetwork? { get }
}

extension RPCBackend {
    public var network: PeerNetwork? { nil }
}
