import AnkrPrimitives

/// A ``NodeStore`` that reads through to `base` and remembers every blob it read, in the order first
/// read; writes stay in memory and never reach `base`. Executing a block on a state over it (with a
/// fresh decoded-node cache, so every node is read through the store) yields the witness a stateless
/// re-execution of that block needs (``WitnessNodeStore``).
public final class RecordingNodeStore: NodeStore, @unchecked Sendable {
    public let base: NodeStore
    private var read: [H256: Int] = [:]
    private var order: [[UInt8]] = []
    private var written: [H256: [UInt8]] = [:]
    private let lock = NSLockShim()

    public init(base: NodeStore) { self.base = base }

    public func node(_ hash: H256) throws -> [UInt8]? {
        // A node this execution wrote may exist in `base` too (the same encoding elsewhere in the state); a
        // re-execution may need it before it writes it (concurrent trie work orders writes differently), so a base
        // copy is recorded whenever one exists.
        let own = lock.withLock { written[hash] }
        if let own, lock.withLock({ read[hash] != nil }) { return own }
        guard let b = try base.node(hash) else { return own }
        lock.withLock {
            if read[hash] == nil {
                read[hash] = order.count
                order.append(b)
            }
        }
        return b
    }

    public func put(_ hash: H256, _ encoded: [UInt8]) throws { lock.withLock { written[hash] = encoded } }

    /// Every blob read from `base` so far, first read first.
    public var witness: [[UInt8]] { lock.withLock { order } }
}
