import AnkrPrimitives

/// A ``NodeStore`` that holds only a witness: blobs (trie nodes, contract code) that someone else
/// supplied, each found by its own Keccak-256, so no blob can stand in for another. Writes stay in
/// memory beside it.
///
/// A read of a hash the witness lacks answers nil (the trie then throws ``TrieError/missingNode(_:)``)
/// and is remembered in ``firstMissing``: whatever stateless execution computed after such a read,
/// the caller must refuse to judge by it, because code may have caught the error and carried on.
///
/// It also meters what execution read: ``servedBytes`` counts each distinct blob it served (from the
/// witness or from execution's own writes) until the first miss, at its size as an element of an ABI
/// `bytes[]` argument (``abiCost(ofBlobOf:)``). Which blobs execution reads is fixed by the parent state and
/// the block, not by who supplied the witness, so any witness complete up to some point counts the same
/// blobs up to that point, and no witness counts more than a complete one.
public final class WitnessNodeStore: NodeStore, @unchecked Sendable {
    private let witness: [H256: [UInt8]]
    private var written: [H256: [UInt8]] = [:]
    private var missing: H256?
    private var served: Set<H256> = []
    private var metered = 0
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

    /// Bytes of the distinct blobs served before the first miss, each at ``abiCost(ofBlobOf:)``.
    public var servedBytes: Int { lock.withLock { metered } }

    /// What a blob of `length` bytes takes as an element of an ABI `bytes[]`: its offset word, its length word and
    /// its bytes padded to whole words.
    public static func abiCost(ofBlobOf length: Int) -> Int {
        64 &+ (length &+ 31) / 32 &* 32
    }

    public func node(_ hash: H256) throws -> [UInt8]? {
        lock.withLock {
            guard let b = witness[hash] ?? written[hash] else {
                if missing == nil { missing = hash }
                return nil
            }
            if missing == nil, served.insert(hash).inserted { metered &+= Self.abiCost(ofBlobOf: b.count) }
            return b
        }
    }

    public func put(_ hash: H256, _ encoded: [UInt8]) throws { lock.withLock { written[hash] = encoded } }
}
