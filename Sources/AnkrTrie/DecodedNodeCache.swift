import AnkrPrimitives

/// Decoded trie nodes by hash, shared by the tries of one world state: a node read while a block
/// executes is decoded once and found again when the commit rewrites its path. Nodes are content
/// addressed, so an entry never goes stale; the cache lives as long as the world state.
public final class DecodedNodeCache: @unchecked Sendable {
    private var nodes: [H256: TrieNode] = [:]
    private let lock = NSLockShim()

    public init() {}

    /// Number of cached nodes.
    public var count: Int { lock.withLock { nodes.count } }

    func node(_ hash: H256) -> TrieNode? { lock.withLock { nodes[hash] } }

    func insert(_ node: TrieNode, for hash: H256) { lock.withLock { nodes[hash] = node } }
}
