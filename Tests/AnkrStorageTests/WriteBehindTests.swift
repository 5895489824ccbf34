import AnkrPrimitives
import AnkrStorage
import Foundation
import XCTest

/// Batches written behind: visible to reads from the moment they are committed, in SQLite in
/// commit order after `flush`, and a failed write stops every later commit.
final class WriteBehindTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private var path: String { dir.appendingPathComponent("chain.sqlite").path }

    private func block(_ n: UInt8) -> (hash: H256, batch: WriteBatch) {
        let h = Keccak256.h256([n])
        var batch = WriteBatch()
        for i in 0..<200 { batch.nodes[Keccak256.h256([n, UInt8(i)])] = [n, UInt8(i)] }
        batch.headers = [StoredHeader(hash: h, number: UInt64(n), parentHash: Keccak256.h256([n &- 1]), totalDifficulty: UInt256(UInt64(n)), rlp: [0xc1, n])]
        batch.bodies[h] = [0xc0, n]
        batch.receipts[h] = [0xc0, n, n]
        batch.canonical[UInt64(n)] = h
        batch.addTransactions[Keccak256.h256([0xee, n])] = TransactionLocation(blockHash: h, blockNumber: UInt64(n), index: Int(n))
        batch.metadata["head"] = h.bytes
        return (h, batch)
    }

    func testLaterBatchesWinInReadsAndOnDisk() throws {
        func check(_ db: ChainDatabase, _ stage: String) throws {
            for n: UInt8 in 1...3 {
                let h = Keccak256.h256([n])
                XCTAssertEqual(try db.header(h)?.rlp, [0xc1, n], stage)
                XCTAssertEqual(try db.body(h), [0xc0, n], stage)
                XCTAssertEqual(try db.receipts(h), [0xc0, n, n], stage)
                XCTAssertEqual(try db.node(Keccak256.h256([n, 199])), [n, 199], stage)
            }
            XCTAssertEqual(try db.canonicalHash(1), Keccak256.h256([1]), stage)
            // Batch 4 truncated the canonical chain above 1 and unindexed block 2's transaction.
            XCTAssertNil(try db.canonicalHash(2), stage)
            XCTAssertNil(try db.transactionLocation(Keccak256.h256([0xee, 2])), stage)
            // Block 3's number came back with batch 5, after the truncation.
            XCTAssertEqual(try db.canonicalHash(3), Keccak256.h256([3]), stage)
            XCTAssertEqual(try db.transactionLocation(Keccak256.h256([0xee, 3]))?.index, 3, stage)
            XCTAssertEqual(try db.metadata("head"), Keccak256.h256([3]).bytes, stage)
            XCTAssertEqual(try db.headerCount(), 3, stage)
        }
        do {
            let db = try ChainDatabase(path: path)
            for n: UInt8 in 1...3 { try db.commitBehind(block(n).batch) }
            var truncate = WriteBatch()
            truncate.truncateCanonicalAbove = 1
            truncate.removeTransactions = [Keccak256.h256([0xee, 2]), Keccak256.h256([0xee, 3])]
            truncate.metadata["head"] = Keccak256.h256([1]).bytes
            try db.commitBehind(truncate)
            var back = WriteBatch()
            back.canonical[3] = Keccak256.h256([3])
            back.addTransactions[Keccak256.h256([0xee, 3])] = TransactionLocation(blockHash: Keccak256.h256([3]), blockNumber: 3, index: 3)
            back.removeTransactions = [Keccak256.h256([0xee, 3])]  // removed, then added again in the same batch
            back.metadata["head"] = Keccak256.h256([3]).bytes
            try db.commitBehind(back)
            try check(db, "while written behind")
            try db.flush()
            try check(db, "after flush")
        }
        try check(try ChainDatabase(path: path), "reopened")
    }

    func testAFailedWriteStopsEveryLaterCommitAndLeavesTheFileAtTheLastGoodBatch() throws {
        let sqlite = URL(fileURLWithPath: "/usr/bin/sqlite3")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: sqlite.path), "the sqlite3 shell installs the failing trigger")
        let db = try ChainDatabase(path: path)
        try db.commit(block(1).batch)
        // Another connection makes SQLite refuse one metadata row, as a full disk would refuse the write.
        let shell = Process()
        shell.executableURL = sqlite
        shell.arguments = [path, "CREATE TRIGGER poison BEFORE INSERT ON metadata WHEN NEW.key = 'poison' BEGIN SELECT RAISE(ABORT, 'disk says no'); END;"]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)

        var poisoned = block(2).batch
        poisoned.metadata["poison"] = [1]
        try db.commitBehind(poisoned)
        XCTAssertThrowsError(try db.flush()) { XCTAssertTrue("\($0)".contains("disk says no"), "\($0)") }
        // This process acted on block 2, so it stays visible here…
        XCTAssertEqual(try db.canonicalHash(2), Keccak256.h256([2]))
        // …but nothing after it may reach the file without it.
        XCTAssertThrowsError(try db.commit(block(3).batch)) { XCTAssertTrue("\($0)".contains("restarts"), "\($0)") }
        XCTAssertThrowsError(try db.commitBehind(block(3).batch))
        XCTAssertNil(try db.canonicalHash(3))

        let reopened = try ChainDatabase(path: path)
        XCTAssertEqual(try reopened.canonicalHash(1), Keccak256.h256([1]))
        XCTAssertNil(try reopened.canonicalHash(2))
        XCTAssertNil(try reopened.node(Keccak256.h256([2, 0])))
        XCTAssertEqual(try reopened.metadata("head"), Keccak256.h256([1]).bytes)
    }

    func testManyBatchesWrittenBehindLandInOrder() throws {
        // Forty batches in a row, each commit waiting while two are unwritten: all land, in order.
        let db = try ChainDatabase(path: path)
        for n: UInt8 in 1...40 { try db.commitBehind(block(n).batch) }
        try db.flush()
        let reopened = try ChainDatabase(path: path)
        XCTAssertEqual(try reopened.headerCount(), 40)
        XCTAssertEqual(try reopened.metadata("head"), Keccak256.h256([40]).bytes)
        XCTAssertEqual(try reopened.node(Keccak256.h256([40, 7])), [40, 7])
    }
}
