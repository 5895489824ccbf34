import AnkrPrimitives

/// A ``NodeStore`` that reads through to a base store but keeps its own writes in memory, so a
/// whole block's trie nodes can be committed to the database in the same transaction as the block.
public final class OverlayNodeStore: NodeStore, @unchecked Sendable {
    public let base: NodeStore
    private var pending: [H256: [UInt8]] = [:]
    private let lock = NSLockShim()

    public init(base: NodeStore) { self.base = base }

    public func node(_ hash: H256) throws -> [UInt8]? {
        if let n = lock.withLock({ pending[hash] }) { return n }
        return try base.node(hash)
    }

    public func put(_ hash: H256, _ encoded: [UInt8]) throws { lock.withLock { pending[hash] = encoded } }

    /// The nodes written so far, and forgets them.
    public func drain() -> [H256: [UInt8]] {
        lock.withLock {
            defer { pending = [:] }
            return pending
        }
    }
}
