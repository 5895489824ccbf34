import AnkrPrimitives
import AnkrStorage
import Foundation
import GRDB
import XCTest

/// Checkpoints beside the writer: the WAL is copied back by the background thread, stays bounded
/// when that thread cannot run, and no committed row is lost either way.
final class WALCheckpointerTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private var path: String { dir.appendingPathComponent("wal.sqlite").path }

    /// A pool whose writer reports commits to `checkpointer`, with a table of 3 KB rows.
    private func open(_ checkpointer: WALCheckpointer) throws -> DatabasePool {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly { checkpointer.attach(to: db) }
        }
        let pool = try DatabasePool(path: path, configuration: config)
        try pool.write { db in try db.execute(sql: "CREATE TABLE IF NOT EXISTS row (id INTEGER PRIMARY KEY, data BLOB NOT NULL)") }
        return pool
    }

    /// One commit per row, each a few pages of the WAL (leaf, interior page, header page).
    private func insert(_ rows: Range<Int>, into pool: DatabasePool) throws {
        for i in rows {
            try pool.write { db in try db.execute(sql: "INSERT INTO row (id, data) VALUES (?, ?)", arguments: [i, Data(repeating: UInt8(i & 0xff), count: 3_000)]) }
        }
    }

    private var walBytes: Int { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }

    /// The most a WAL of `pages` frames (plus one commit's few) can take on disk.
    private func walBound(pages: Int) -> Int { 32 + (pages + 8) * (4_096 + 24) }

    func testBackgroundCheckpointsCopyTheWALWhileWritersGoOn() throws {
        let checkpointer = WALCheckpointer(thresholdPages: 20, hardLimitPages: 400)
        let pool = try open(checkpointer)
        try insert(0..<300, into: pool)
        // The last request may still be running: wait for it by closing.
        checkpointer.close()
        XCTAssertGreaterThan(checkpointer.checkpoints.background, 0)
        // Back to back commits leave the background copy no gap in which the WAL could start over:
        // it restarts at the limit, after an inline checkpoint with little left to copy (or a few
        // commits later, when the background one held the lock just then).
        XCTAssertLessThanOrEqual(walBytes, walBound(pages: 4 * 400))
        try pool.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM row"), 300)
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
        }
    }

    func testTheWALStaysBoundedWhenTheBackgroundThreadCannotRun() throws {
        let stalled = DispatchQueue(label: "stalled")
        stalled.suspend()
        var resumed = false
        // A suspended queue must not be released: resume it whatever fails first.
        defer { if !resumed { stalled.resume() } }
        let checkpointer = WALCheckpointer(thresholdPages: 10, hardLimitPages: 50, queue: stalled)
        var pool: DatabasePool? = try open(checkpointer)
        try insert(0..<500, into: XCTUnwrap(pool))
        XCTAssertEqual(checkpointer.checkpoints.background, 0)
        XCTAssertGreaterThanOrEqual(checkpointer.checkpoints.inline, 9, "about one inline checkpoint per 50 pages")
        XCTAssertLessThanOrEqual(walBytes, walBound(pages: 50), "500 commits, but the WAL never passes the hard limit")
        stalled.resume()
        resumed = true
        checkpointer.close()
        // Commits after close still checkpoint inline.
        try insert(500..<600, into: XCTUnwrap(pool))
        XCTAssertLessThanOrEqual(walBytes, walBound(pages: 50))
        pool = nil
        let reopened = try DatabasePool(path: path)
        try reopened.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM row"), 600)
            XCTAssertEqual(try Data.fetchOne(db, sql: "SELECT data FROM row WHERE id = 599"), Data(repeating: UInt8(599 & 0xff), count: 3_000))
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
        }
    }

    func testADurableChainDatabaseSyncsEveryCommit() throws {
        XCTAssertTrue(try ChainDatabase(path: dir.appendingPathComponent("durable.sqlite").path, durable: true).syncsEveryCommit())
        XCTAssertFalse(try ChainDatabase(path: dir.appendingPathComponent("normal.sqlite").path).syncsEveryCommit())
    }

    func testChainDatabaseKeepsEveryBatchWithItsCheckpointer() throws {
        // 40 batches of 200 nodes pass the 1,000-page threshold several times; all are there after reopening.
        let file = dir.appendingPathComponent("chain.sqlite").path
        do {
            let db = try ChainDatabase(path: file)
            for b in 0..<40 {
                var batch = WriteBatch()
                for i in 0..<200 { batch.nodes[Keccak256.h256([UInt8(b), UInt8(i)])] = [UInt8](repeating: UInt8(i), count: 100) }
                try db.commit(batch)
            }
        }
        let db = try ChainDatabase(path: file)
        XCTAssertEqual(try db.node(Keccak256.h256([39, 199])), [UInt8](repeating: 199, count: 100))
        XCTAssertEqual(try db.node(Keccak256.h256([0, 0])), [UInt8](repeating: 0, count: 100))
    }
}
