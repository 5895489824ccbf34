import AnkrPrimitives
import AnkrTestSupport
import AnkrTrie
import XCTest

final class TrieBehaviourTests: XCTestCase {
    func testInsertionOrderDoesNotChangeTheRoot() throws {
        var rng = SplitMix64(seed: 3)
        let entries = (0..<500).map { _ in
            ((0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...15, using: &rng) },
             (0..<Int.random(in: 1...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        var last = [[UInt8]: [UInt8]]()
        for (k, v) in entries { last[k] = v }
        var a = MerklePatriciaTrie(), b = MerklePatriciaTrie()
        for (k, v) in last { try a.put(k, v) }
        for (k, v) in last.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }).reversed() { try b.put(k, v) }
        XCTAssertEqual(a.rootHash, b.rootHash)
        // Removing half the keys equals building from the other half alone.
        var c = MerklePatriciaTrie()
        for (i, (k, v)) in last.enumerated() {
            if i % 2 == 0 { try a.delete(k) } else { try c.put(k, v) }
        }
        XCTAssertEqual(a.rootHash, c.rootHash)
    }

    /// `root(of:)` against the trie built entry by entry: keys that are prefixes of others (branch
    /// values), duplicates (the last wins), empty values (no entry), short values (inline nodes),
    /// and block-style RLP(index) keys.
    func testRootOfEntriesMatchesTheBuiltTrie() throws {
        var rng = SplitMix64(seed: 11)
        for round in 0..<200 {
            let count = round < 100 ? Int.random(in: 0...12, using: &rng) : Int.random(in: 0...600, using: &rng)
            let entries = (0..<count).map { _ in
                (key: (0..<Int.random(in: 0...3, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) * 0x11 },
                 value: (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
            var trie = MerklePatriciaTrie()
            for e in entries { try trie.put(e.key, e.value) }
            XCTAssertEqual(MerklePatriciaTrie.root(of: entries), trie.rootHash, "round \(round): \(entries)")
        }
        for count in [1, 2, 127, 128, 129, 1_250, 4_000] {
            let entries = (0..<count).map { i in (key: RLP.encode(.uint(UInt64(i))), value: Keccak256.hash([UInt8(i & 0xff)]) + [UInt8(i % 7)]) }
            var trie = MerklePatriciaTrie()
            for e in entries { try trie.put(e.key, e.value) }
            XCTAssertEqual(MerklePatriciaTrie.root(of: entries), trie.rootHash, "\(count) indexed entries")
        }
    }

    /// A batch `update` (its subtrees on every core above a few hundred puts) leaves the same trie
    /// as the same puts and deletes one by one, on a trie read back from a store and on a fresh one.
    func testBatchUpdateMatchesPutsInOrder() throws {
        var rng = SplitMix64(seed: 5)
        func randomKey() -> [UInt8] { (0..<Int.random(in: 1...4, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        let store = InMemoryNodeStore()
        var base = MerklePatriciaTrie(store: store)
        var keys = (0..<3_000).map { _ in randomKey() }
        for k in keys { try base.put(k, Array(k) + [1]) }
        let committed = try base.commit()
        for size in [0, 10, 255, 256, 2_000] {
            var batch = [(key: [UInt8], value: [UInt8])]()
            for _ in 0..<size {
                let key = Bool.random(using: &rng) ? keys[Int.random(in: 0..<keys.count, using: &rng)] : randomKey()
                // Some deletes, some duplicates of earlier batch keys (the later wins), some short values.
                let value: [UInt8] = Int.random(in: 0..<5, using: &rng) == 0 ? [] : (0..<Int.random(in: 1...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                batch.append((key, value))
                if Int.random(in: 0..<10, using: &rng) == 0, let earlier = batch.randomElement(using: &rng) { batch.append((earlier.key, [9])) }
                keys.append(key)
            }
            for start in [MerklePatriciaTrie(root: committed, store: store), MerklePatriciaTrie()] {
                var one = start, all = start
                for e in batch { try one.put(e.key, e.value) }
                try all.update(batch)
                XCTAssertEqual(all.rootHash, one.rootHash, "batch of \(size)")
                XCTAssertEqual(try all.commit(), try one.commit())
            }
        }
    }

    func testProofsRejectTamperingAndProveAbsence() throws {
        var t = MerklePatriciaTrie()
        for i in 0..<200 { try t.put(Keccak256.hash([UInt8(i)]), [UInt8](repeating: UInt8(i), count: 40)) }
        let root = t.rootHash
        let key = Keccak256.hash([7])
        var proof = try t.proof(key)
        XCTAssertEqual(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: proof), [UInt8](repeating: 7, count: 40))
        let absent = Keccak256.hash([250])
        XCTAssertNil(try MerklePatriciaTrie.verifyProof(root: root, key: absent, proof: try t.proof(absent)))
        proof[proof.count - 1][5] ^= 1
        XCTAssertThrowsError(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: proof))
        XCTAssertThrowsError(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: []))
        XCTAssertThrowsError(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: [[0xc0], [0xff, 0x00]]))
    }

    func testMissingNodesAreReportedNotCrashed() throws {
        let t = MerklePatriciaTrie(root: Keccak256.h256([1, 2, 3]), store: InMemoryNodeStore())
        XCTAssertThrowsError(try t.get([1])) {
            guard case .missingNode = $0 as? TrieError else { return XCTFail("\($0)") }
        }
    }

    func testBinaryMerkleTreeProofsAndBounds() throws {
        let leaves = (0..<1000).map { Keccak256.h256([UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)]) }
        let tree = try BinaryMerkleTree(leaves: leaves)
        for i in [0, 1, 2, 511, 999] {
            let proof = try tree.proof(index: i)
            XCTAssertEqual(proof.count, 512)
            XCTAssertTrue(BinaryMerkleTree.verify(leaf: leaves[i], index: i, proof: proof, root: tree.root))
            XCTAssertFalse(BinaryMerkleTree.verify(leaf: leaves[i], index: i ^ 1, proof: proof, root: tree.root))
            XCTAssertFalse(BinaryMerkleTree.verify(leaf: leaves[i], index: i + (1 << 16), proof: proof, root: tree.root))
        }
        // An unfilled position proves the zero word.
        XCTAssertTrue(BinaryMerkleTree.verify(leaf: .zero, index: 5000, proof: try tree.proof(index: 5000), root: tree.root))
        XCTAssertFalse(BinaryMerkleTree.verify(leaf: leaves[0], index: 0, proof: [UInt8](repeating: 0, count: 511), root: tree.root))
        XCTAssertThrowsError(try tree.proof(index: 1 << 16))
        XCTAssertThrowsError(try BinaryMerkleTree(leaves: [H256](repeating: .zero, count: 5), depth: 2))

        // A single leaf: root is leaf hashed up with zero subtrees.
        var node = leaves[0]
        var zero = H256.zero
        for _ in 0..<16 {
            node = Keccak256.h256(node.bytes + zero.bytes)
            zero = Keccak256.h256(zero.bytes + zero.bytes)
        }
        XCTAssertEqual(try BinaryMerkleTree(leaves: [leaves[0]]).root, node)
    }
}
