import AnkrPrimitives

/// What a ``ConfirmationWaiter`` saw change while it waited; each one is told once, as it happens.
/// The description is the line a command prints on stderr.
public enum ConfirmationProgress: Sendable, Equatable, CustomStringConvertible {
    /// The transaction is in canonical block `block`, fewer than `wanted` blocks deep.
    case waiting(H256, block: UInt64, wanted: Int)
    /// Block `block`, which held the transaction, left the canonical chain.
    case orphaned(H256, block: UInt64)
    /// The node had lost the transaction, so its signed encoding was sent again.
    case resent(H256)

    public var description: String {
        switch self {
        case .waiting(let hash, let block, let wanted):
            return "waiting for \(wanted) confirmation\(wanted == 1 ? "" : "s") of \(hash) (block \(block))"
        case .orphaned(let hash, let block):
            return "block \(block) holding \(hash) was orphaned; following the transaction"
        case .resent(let hash): return "the node lost \(hash); sent it again"
        }
    }
}
