import AnkrPrimitives

/// Where trie nodes live, keyed by the Keccak-256 of their RLP encoding. The database implements
/// this later; ``InMemoryNodeStore`` serves tests and transient tries.
public protocol NodeStore: Sendable {
    func node(_ hash: H256) throws -> [UInt8]?
    func put(_ hash: H256, _ encoded: [UInt8]) throws
}

/// A thread-safe dictionary-backed ``NodeStore``.
public final class InMemoryNodeStore: NodeStore, @unchecked Sendable {
    private var nodes: [H256: [UInt8]] = [:]
    private let lock = NSLockShim()

    public init() {}

    public func node(_ hash: H256) throws -> [UInt8]? { lock.withLock { nodes[hash] } }
    public func put(_ hash: H256, _ encoded: [UInt8]) throws { lock.withLock { nodes[hash] = encoded } }

    /// Number of stored nodes.
    public var count: Int { lock.withLock { nodes.count } }
}
