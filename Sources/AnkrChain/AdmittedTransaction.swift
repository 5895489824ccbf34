import AnkrPrimitives

/// Who handed a transaction to the pool: P2P gossips what arrived locally and relays a peer's
/// transactions itself (to everyone but the sender).
public enum TransactionOrigin: Sendable, Equatable {
    /// JSON-RPC, the CLI, the node's own miner or services.
    case local
    /// A peer's gossip.
    case peer
    /// Back from a block that left the canonical chain (peers saw it before; it is not gossiped again).
    case reorganization
}

/// A transaction the pool took in.
public struct AdmittedTransaction: Sendable {
    public let transaction: Transaction
    public let hash: H256
    public let sender: Address
    public let origin: TransactionOrigin
}
