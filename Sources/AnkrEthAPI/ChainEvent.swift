import AnkrChain
import AnkrPrimitives

/// What one new head changed on the canonical chain: the blocks that left it and the blocks that
/// joined it (on a plain extension, no block left and the head alone joined), with their logs in the
/// order geth emits them — removed logs first, oldest block first, then the new branch's logs.
public struct ChainEvent: Sendable {
    /// The new head.
    public let head: BlockHeader
    /// Blocks that left the canonical chain, oldest first.
    public let removed: [BlockHeader]
    /// Blocks that joined it, oldest first; the last is ``head``.
    public let added: [BlockHeader]
    /// The logs of ``removed`` (each `removed: true`), then those of ``added``.
    public let logs: [ChainEventLog]
    /// The branches were deeper than ``ChainEventFollower/maxReorgDepth`` (only that many blocks of
    /// each side are reported), or their logs more than ``ChainEventFollower/maxLogs`` (only the first
    /// ones are), or an ancestor could not be read.
    public let truncated: Bool

    init(head: BlockHeader, removed: [BlockHeader], added: [BlockHeader], logs: [ChainEventLog], truncated: Bool) {
        self.head = head
        self.removed = removed
        self.added = added
        self.logs = logs
        self.truncated = truncated
    }
}
