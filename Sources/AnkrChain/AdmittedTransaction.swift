import AnkrPrimitives

/// Who handed a transaction to the pool: P2P gossips what arrived locally or came back from an
/// orphaned block, and relays a peer's transactions itself (to everyone but the sender).
public enum TransactionOrigin: Sendable, Equatable {
    /// JSON-RPC, the CLI, the node's own miner or services.
    case local
    /// A peer's gossip.
    case peer
    /// Back from a block that left the canonical chain. Gossiped again: the orphaned block may have been
    /// mined on our side of a partition, so the other side never saw the transaction, and this pool
    /// alone would hold it (a kill of this node would lose a transaction its sender saw included).
    case reorganization
}

/// A transaction the pool took in.
public struct AdmittedTransaction: Sendable {
    public let transaction: Transaction
    public let hash: H256
    public let sender: Address
    public let origin: TransactionOrigin
}
