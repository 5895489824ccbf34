import AnkrPrimitives

/// Decoded trie nodes by hash, shared by the tries of one world state: a node read while a block
/// executes is decoded once and found again when the commit rewrites its path. Nodes are content
/// addressed, so an entry never goes stale; the cache lives as long as the world state and is emptied
/// when it passes ``maxNodes`` (a decoded branch takes ~2 KB: an `eth_call` of cold reads must not hold
/// hundreds of megabytes).
public final class DecodedNodeCache: @unchecked Sendable {
    private var nodes: [H256: TrieNode] = [:]
    private let lock = NSLockShim()

    /// About 64 MB of decoded nodes; a block of 10,000 transfers touches fewer.
    public static let maxNodes = 32_768

    public init() {}

    /// Number of cached nodes.
    public var count: Int { lock.withLock { nodes.count } }

    func node(_ hash: H256) -> TrieNode? { lock.withLock { nodes[hash] } }

    func insert(_ node: TrieNode, for hash: H256) {
        lock.withLock {
            if nodes.count >= Self.maxNodes { nodes.removeAll(keepingCapacity: true) }
            nodes[hash] = node
        }
    }
}
