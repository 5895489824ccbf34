import AnkrPrimitives
import AnkrTrie
import XCTest

/// A trie that keeps its loaded nodes decoded must read, write and commit exactly like one that
/// decodes every time, and must not hide a node the store lacks.
final class DecodedNodeCacheTests: XCTestCase {
    func key(_ i: Int) -> [UInt8] { Keccak256.hash(Array("key-\(i)".utf8)) }

    func testCachedTrieMatchesUncachedTrie() throws {
        let store = InMemoryNodeStore()
        var base = MerklePatriciaTrie(store: store)
        for i in 0..<500 { try base.put(key(i), Array("value-\(i)".utf8)) }
        let root = try base.commit()

        let cache = DecodedNodeCache()
        var cached = MerklePatriciaTrie(root: root, store: store, cache: cache)
        var plain = MerklePatriciaTrie(root: root, store: store)
        for i in stride(from: 0, to: 600, by: 7) { XCTAssertEqual(try cached.get(key(i)), try plain.get(key(i))) }
        XCTAssertGreaterThan(cache.count, 0)
        for i in stride(from: 0, to: 600, by: 3) {
            let value: [UInt8] = i % 2 == 0 ? [] : Array("new-\(i)".utf8)
            try cached.put(key(i), value)
            try plain.put(key(i), value)
        }
        try cached.delete(key(1))
        try plain.delete(key(1))
        XCTAssertEqual(cached.rootHash, plain.rootHash)
        XCTAssertEqual(try cached.commit(), try plain.commit())
        // A second trie sharing the cache sees the new root's nodes from the store.
        let again = MerklePatriciaTrie(root: cached.rootHash, store: store, cache: cache)
        for i in 0..<600 { XCTAssertEqual(try again.get(key(i)), try plain.get(key(i))) }
    }

    func testMissingNodeStillThrows() throws {
        let cache = DecodedNodeCache()
        let missing = Keccak256.h256([1, 2, 3])
        let trie = MerklePatriciaTrie(root: missing, store: InMemoryNodeStore(), cache: cache)
        XCTAssertThrowsError(try trie.get([1])) { XCTAssertEqual($0 as? TrieError, .missingNode(missing)) }
        XCTAssertEqual(cache.count, 0)
    }

    func testTheCacheIsBounded() throws {
        let store = InMemoryNodeStore()
        var base = MerklePatriciaTrie(store: store)
        for i in 0..<40_000 { try base.put(key(i), [UInt8(i & 0xff), 1]) }
        let root = try base.commit()
        let cache = DecodedNodeCache()
        let cached = MerklePatriciaTrie(root: root, store: store, cache: cache)
        // Reading every key loads far more than maxNodes distinct nodes; the cache never holds more.
        for i in 0..<40_000 { XCTAssertEqual(try cached.get(key(i)), [UInt8(i & 0xff), 1]) }
        XCTAssertLessThanOrEqual(cache.count, DecodedNodeCache.maxNodes)
        XCTAssertGreaterThan(cache.count, 0)
    }
}
