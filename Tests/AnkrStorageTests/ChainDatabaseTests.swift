import AnkrPrimitives
import AnkrStorage
import AnkrTrie
import Foundation
import XCTest

final class ChainDatabaseTests: XCTestCase {
    func testBatchIsAtomicAndSurvivesReopening() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("chain.sqlite").path
        let h = Keccak256.h256([1])
        do {
            let db = try ChainDatabase(path: path)
            var batch = WriteBatch()
            batch.nodes[Keccak256.h256([9])] = [9]
            batch.headers = [StoredHeader(hash: h, number: 1, parentHash: .zero, totalDifficulty: UInt256(7), rlp: [0xc0])]
            batch.canonical[1] = h
            batch.addTransactions[Keccak256.h256([2])] = TransactionLocation(blockHash: h, blockNumber: 1, index: 0)
            batch.metadata["head"] = h.bytes
            try db.commit(batch)
        }
        let db = try ChainDatabase(path: path)
        XCTAssertEqual(try db.header(h)?.totalDifficulty, UInt256(7))
        XCTAssertEqual(try db.canonicalHash(1), h)
        XCTAssertEqual(try db.node(Keccak256.h256([9])), [9])
        XCTAssertEqual(try db.transactionLocation(Keccak256.h256([2]))?.index, 0)
        XCTAssertEqual(try db.metadata("head"), h.bytes)
        XCTAssertNil(try db.header(Keccak256.h256([3])))

        var truncate = WriteBatch()
        truncate.truncateCanonicalAbove = 0
        truncate.removeTransactions = [Keccak256.h256([2])]
        try db.commit(truncate)
        XCTAssertNil(try db.canonicalHash(1))
        XCTAssertNil(try db.transactionLocation(Keccak256.h256([2])))
    }

    func testDirectTrieWritesAreRefused() throws {
        let store = DatabaseNodeStore(try ChainDatabase())
        XCTAssertThrowsError(try store.put(.zero, [1]))
        let overlay = OverlayNodeStore(base: store)
        var trie = MerklePatriciaTrie(store: overlay)
        try trie.put([1, 2, 3], [UInt8](repeating: 4, count: 40))
        let root = try trie.commit()
        let nodes = overlay.drain()
        XCTAssertFalse(nodes.isEmpty)
        XCTAssertNotNil(nodes[root])
    }

    func testUnwritablePathIsAClearError() {
        XCTAssertThrowsError(try ChainDatabase(path: "/proc/ankr/nope/chain.sqlite")) {
            guard case .cannotOpen = $0 as? StorageError else { return XCTFail("\($0)") }
        }
    }
}
