import AnkrPrimitives

/// A ``NodeStore`` that holds only a witness: blobs (trie nodes, contract code) that someone else
/// supplied, each found by its own Keccak-256, so no blob can stand in for another. Writes stay in
/// memory beside it.
///
/// A read of a hash the witness lacks answers nil (the trie then throws ``TrieError/missingNode(_:)``)
/// and is remembered in ``firstMissing``: whatever stateless execution computed after such a read,
/// the caller must refuse to judge by it, because code may have caught the error and carried on.
public final class WitnessNodeStore: NodeStore, @unchecked Sendable {
    private let witness: [H256: [UInt8]]
    private var written: [H256: [UInt8]] = [:]
    private var missing: H256?
    private let lock = NSLockShim()

    /// `blobs` in any order; duplicates are harmless.
    public init(_ blobs: [[UInt8]]) {
        var map = [H256: [UInt8]](minimumCapacity: blobs.count)
        for b in blobs { map[Keccak256.h256(b)] = b }
        witness = map
    }

    /// Distinct blobs in the witness.
    public var count: Int { witness.count }

    /// The first hash execution asked for that the witness does not hold, or nil.
    public var firstMissing: H256? { lock.withLock { missing } }

    public func node(_ hash: H256) throws -> [UInt8]? {
        if let b = witness[hash] { return b }
        return lock.withLock {
            if let b = written[hash] { return b }
            if missing == nil { missing = hash }
            return nil
        }
    }

    public func put(_ hash: H256, _ encoded: [UInt8]) throws { lock.withLock { written[hash] = encoded } }
}
