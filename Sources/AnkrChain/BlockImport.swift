/// Where an imported block came from: followers of the chain treat a block this node produced
/// differently (P2P announces it; a peer's block it relays itself, to everyone but the sender).
public enum BlockOrigin: Sendable, Equatable {
    /// Built and sealed by this node.
    case produced
    /// Received from a peer (gossip or sync) or handed in by a tool.
    case external
}

/// The chain's one event: a block was stored. `result` says whether it became the head and which
/// transactions left the canonical chain with a reorganization; the mempool, the block producer,
/// P2P and metrics follow these.
public struct BlockImport: Sendable {
    public let block: Block
    public let result: ImportResult
    /// Validation, execution and commit.
    public let took: Duration
    public let origin: BlockOrigin

    /// The block became the canonical head.
    public var isNewHead: Bool {
        if case .newHead = result { return true }
        return false
    }

    /// Transactions of blocks that left the canonical chain and are not in the new one (empty unless a new head).
    public var orphaned: [Transaction] {
        if case .newHead(let orphaned) = result { return orphaned }
        return []
    }
}
