import AnkrPrimitives
import AnkrStorage
import Foundation
import XCTest

/// A data directory written before trie nodes moved to a rowid table opens with every node intact.
final class TrieNodeMigrationTests: XCTestCase {
    func testVersionOneDatabaseKeepsItsNodes() throws {
        let sqlite = URL(fileURLWithPath: "/usr/bin/sqlite3")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: sqlite.path), "the sqlite3 shell makes the old-format file")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("chain.sqlite").path
        let nodes = (0..<50).map { i in (Keccak256.h256([UInt8(i)]), [UInt8](repeating: UInt8(i), count: 40 + i)) }
        let inserts = nodes.map { h, data in
            "INSERT INTO trie_node VALUES (x'\(Hex.encode(h.bytes))', x'\(Hex.encode(data))');"
        }.joined(separator: "\n")
        // The version-one schema's trie table, as that release's migration left it.
        let script = """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1');
            CREATE TABLE header (hash BLOB PRIMARY KEY, number INTEGER NOT NULL, parent_hash BLOB NOT NULL,
                                 total_difficulty BLOB NOT NULL, rlp BLOB NOT NULL) WITHOUT ROWID;
            CREATE INDEX header_number ON header(number);
            CREATE TABLE body (hash BLOB PRIMARY KEY, rlp BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE receipts (hash BLOB PRIMARY KEY, rlp BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE canonical (number INTEGER PRIMARY KEY, hash BLOB NOT NULL);
            CREATE TABLE tx_index (tx_hash BLOB PRIMARY KEY, block_hash BLOB NOT NULL, block_number INTEGER NOT NULL,
                                   idx INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE trie_node (hash BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE metadata (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
            \(inserts)
            """
        let shell = Process()
        shell.executableURL = sqlite
        shell.arguments = [path, script]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)

        let db = try ChainDatabase(path: path)
        for (h, data) in nodes { XCTAssertEqual(try db.node(h), data) }
        // New nodes land beside the old ones; a node written twice is kept once, unchanged.
        var batch = WriteBatch()
        batch.nodes[Keccak256.h256([200])] = [1, 2, 3]
        batch.nodes[nodes[0].0] = nodes[0].1
        try db.commit(batch)
        let reopened = try ChainDatabase(path: path)
        XCTAssertEqual(try reopened.node(Keccak256.h256([200])), [1, 2, 3])
        XCTAssertEqual(try reopened.node(nodes[0].0), nodes[0].1)
        XCTAssertNil(try reopened.node(Keccak256.h256([201])))
    }
}
