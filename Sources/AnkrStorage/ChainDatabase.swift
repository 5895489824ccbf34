import AnkrPrimitives
import AnkrTrie
import Foundation
import GRDB

/// The SQLite database of one node.
///
/// A batch is written either at once (``commit(_:)`` returns when SQLite holds it) or behind
/// (``commitBehind(_:)`` returns when reads see it, and a writer thread stores it while the caller
/// goes on, e.g. executing the next block of a sync batch). Batches reach SQLite in commit order,
/// each whole, so a crash leaves the file at the end of some committed batch.
public final class ChainDatabase: Sendable {
    private let writer: any DatabaseWriter
    /// Checkpoints the file's WAL beside the writer thread (nil in memory).
    private let checkpointer: WALCheckpointer?
    /// Trie nodes are immutable (keyed by their hash), so a memory cache never goes stale.
    private let nodeCache = NodeCache(capacity: 262_144)
    /// Committed batches SQLite does not hold yet; reads look here first.
    private let pending = PendingWrites()
    /// Writes pending batches in order, one SQLite transaction per turn.
    private let writerQueue = DispatchQueue(label: "ankr.chain.writer")

    /// Batches ``commitBehind(_:)`` lets wait for SQLite: the one being written and the next
    /// (a block's batch is a few MB, so memory stays bounded whatever the import rate).
    public static let maxBatchesBehind = 2

    /// Opens (creating and migrating as needed) the database file at `path`, in WAL mode. `durable` makes every
    /// commit reach the disk before it returns (an application chain's operator: a block it sealed and published must
    /// survive even an OS crash, or it would seal that height again — an equivocation it is slashed for).
    public init(path: String, durable: Bool = false) throws {
        var config = Configuration()
        config.label = "ankr.chain"
        // WAL + NORMAL survives any process crash; only an OS crash may lose the newest commits. FULL survives that too.
        let checkpointer = WALCheckpointer(durable: durable)
        self.checkpointer = checkpointer
        config.prepareDatabase { db in
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            // The writer gets 64 MiB of page cache (SQLite's default is 2 MiB), so an import's index
            // pages stay in memory between blocks; readers keep the default.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -65536")
                checkpointer.attach(to: db)
            }
        }
        do {
            writer = try DatabasePool(path: path, configuration: config)
            // GRDB sets NORMAL on the writer once it is in WAL mode, after `prepareDatabase`.
            if durable { try writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") } }
        } catch {
            throw StorageError.cannotOpen(path: path, reason: "\(error)")
        }
        try migrate()
    }

    /// Whether every commit reaches the disk before it returns (`synchronous = FULL` on the writer).
    public func syncsEveryCommit() throws -> Bool {
        try writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") == 2 }
    }

    deinit { checkpointer?.close() }

    /// A private in-memory database, for tests and throwaway chains.
    public init() throws {
        writer = try DatabaseQueue()
        checkpointer = nil
        try migrate()
    }

    private func migrate() throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
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
                """)
        }
        // Trie nodes are keyed by hash, so every insert lands on a random page: in a table of whole
        // rows that dirties a page per node. Rows appended by rowid with a narrow hash index dirty a
        // few pages per block instead (about a third of the write time on imports).
        migrator.registerMigration("v2-trie-node-rowid") { db in
            try db.execute(sql: """
                CREATE TABLE trie_node_v2 (id INTEGER PRIMARY KEY, hash BLOB NOT NULL, data BLOB NOT NULL);
                INSERT INTO trie_node_v2 (hash, data) SELECT hash, data FROM trie_node;
                DROP TABLE trie_node;
                ALTER TABLE trie_node_v2 RENAME TO trie_node;
                CREATE UNIQUE INDEX trie_node_hash ON trie_node(hash);
                """)
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw StorageError.corrupt("migration failed: \(error)")
        }
    }

    // MARK: Writing

    /// Applies a batch in one SQLite transaction: all of it lands, or none of it. Returns once
    /// SQLite holds it, after every batch committed before it; reads see it only then, so a batch
    /// whose write fails was never served (it is not sticky, as a failed ``commitBehind(_:)`` is).
    public func commit(_ batch: WriteBatch) throws {
        try flush()
        // On the writer queue, so it lands after anything written behind that is still queued.
        try writerQueue.sync {
            do {
                try writer.write { db in try Self.write(batch, db) }
            } catch {
                throw StorageError.writeFailed("\(error)")
            }
        }
        nodeCache.insert(batch.nodes)
    }

    /// Makes a batch visible to reads at once and has the writer thread store it, as ``commit(_:)``
    /// would, while the caller goes on; waits while ``maxBatchesBehind`` batches are still unwritten.
    /// ``flush()`` waits for them. A failed write is thrown by the next commit (or flush) and every
    /// commit after it: the process acted on a batch the file does not hold, so it must restart.
    public func commitBehind(_ batch: WriteBatch) throws {
        _ = try pending.add(batch, waitingBelow: Self.maxBatchesBehind)
        writerQueue.async { self.writePending() }
    }

    /// Throws if a batch written behind could not be written (nothing more will be): callers check
    /// before spending work on a block that could never be stored.
    public func checkWritable() throws {
        try pending.checkWritable()
    }

    /// Returns once SQLite holds every committed batch; throws if one could not be written.
    public func flush() throws {
        try pending.waitUntilWritten()
    }

    /// On the writer queue: stores every pending batch, in order, in one SQLite transaction.
    private func writePending() {
        let group = pending.toWrite()
        guard let last = group.last?.id else { return }
        do {
            try writer.write { db in
                for entry in group { try Self.write(entry.batch, db) }
            }
        } catch {
            pending.failed(.writeFailed("\(error)"))
            return
        }
        for entry in group { nodeCache.insert(entry.batch.nodes) }
        pending.written(through: last)
    }

    private static func write(_ batch: WriteBatch, _ db: Database) throws {
        // In hash order, so consecutive inserts share index pages.
        let insertNode = try BulkInsert(db, sql: "INSERT OR IGNORE INTO trie_node (hash, data) VALUES (?, ?)")
        for (h, data) in Self.hashOrder(batch.nodes) {
            try insertNode.run(.bytes(h.bytes), .bytes(data))
        }
        for h in batch.headers {
            try Self.run(db, "INSERT OR REPLACE INTO header (hash, number, parent_hash, total_difficulty, rlp) VALUES (?, ?, ?, ?, ?)", [Data(h.hash.bytes), Int64(bitPattern: h.number), Data(h.parentHash.bytes),
                            Data(h.totalDifficulty.bigEndianBytes), Data(h.rlp)])
        }
        for (h, rlp) in batch.bodies {
            try Self.run(db, "INSERT OR REPLACE INTO body (hash, rlp) VALUES (?, ?)", [Data(h.bytes), Data(rlp)])
        }
        for (h, rlp) in batch.receipts {
            try Self.run(db, "INSERT OR REPLACE INTO receipts (hash, rlp) VALUES (?, ?)", [Data(h.bytes), Data(rlp)])
        }
        if let n = batch.truncateCanonicalAbove {
            try Self.run(db, "DELETE FROM canonical WHERE number > ?", [Int64(bitPattern: n)])
        }
        for (n, h) in batch.canonical {
            try Self.run(db, "INSERT OR REPLACE INTO canonical (number, hash) VALUES (?, ?)", [Int64(bitPattern: n), Data(h.bytes)])
        }
        for tx in batch.removeTransactions {
            try Self.run(db, "DELETE FROM tx_index WHERE tx_hash = ?", [Data(tx.bytes)])
        }
        // In hash order too: a block's index rows then fill neighbouring pages.
        let insertIndex = try BulkInsert(db, sql: "INSERT OR REPLACE INTO tx_index (tx_hash, block_hash, block_number, idx) VALUES (?, ?, ?, ?)")
        for (tx, loc) in Self.hashOrder(batch.addTransactions) {
            try insertIndex.run(.bytes(tx.bytes), .bytes(loc.blockHash.bytes), .integer(Int64(bitPattern: loc.blockNumber)), .integer(Int64(loc.index)))
        }
        for (k, v) in batch.metadata {
            try Self.run(db, "INSERT OR REPLACE INTO metadata (key, value) VALUES (?, ?)", [k, Data(v)])
        }
    }

    /// Entries sorted by key, comparing the keys' first eight bytes as one integer first.
    private static func hashOrder<V>(_ entries: [H256: V]) -> [(key: H256, value: V)] {
        func prefix(_ h: H256) -> UInt64 { h.bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
        let keyed: [(prefix: UInt64, entry: (key: H256, value: V))] = entries.map { (prefix($0.key), $0) }
        return keyed.sorted { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : a.entry.key < b.entry.key }.map { $0.entry }
    }

    /// Executes a statement through SQLite's prepared-statement cache (imports run the same few thousands of times).
    private static func run(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    // MARK: Reading

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let e as StorageError {
            throw e
        } catch {
            throw StorageError.corrupt("\(error)")
        }
    }

    private func blob(_ sql: String, _ key: H256) throws -> [UInt8]? {
        try read { db in try Data.fetchOne(db, sql: sql, arguments: [Data(key.bytes)]).map { [UInt8]($0) } }
    }

    public func node(_ hash: H256) throws -> [UInt8]? {
        if let cached = nodeCache[hash] ?? pending.node(hash) { return cached }
        guard let n = try read({ db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM trie_node WHERE hash = ?"), arguments: [Data(hash.bytes)]).map { [UInt8]($0) }
        }) else { return nil }
        nodeCache.insert([hash: n])
        return n
    }
    public func body(_ hash: H256) throws -> [UInt8]? {
        if let b = pending.body(hash) { return b }
        return try blob("SELECT rlp FROM body WHERE hash = ?", hash)
    }
    public func receipts(_ hash: H256) throws -> [UInt8]? {
        if let r = pending.receipts(hash) { return r }
        return try blob("SELECT rlp FROM receipts WHERE hash = ?", hash)
    }

    public func header(_ hash: H256) throws -> StoredHeader? {
        if let h = pending.header(hash) { return h }
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT number, parent_hash, total_difficulty, rlp FROM header WHERE hash = ?",
                                             arguments: [Data(hash.bytes)]) else { return nil }
            return try Self.storedHeader(hash: hash, row)
        }
    }

    private static func storedHeader(hash: H256, _ row: Row) throws -> StoredHeader {
        let number: Int64 = row[0]
        let parent: Data = row[1]
        let td: Data = row[2]
        let rlp: Data = row[3]
        guard let parentHash = try? H256([UInt8](parent)), let total = UInt256(bigEndian: [UInt8](td)) else {
            throw StorageError.corrupt("header \(hash) has a malformed index row")
        }
        return StoredHeader(hash: hash, number: UInt64(bitPattern: number), parentHash: parentHash, totalDifficulty: total, rlp: [UInt8](rlp))
    }

    public func canonicalHash(_ number: UInt64) throws -> H256? {
        switch pending.canonicalHash(number) {
        case .found(let h): return h
        case .deleted: return nil
        case .notPending: break
        }
        return try read { db in
            guard let d = try Data.fetchOne(db, sql: "SELECT hash FROM canonical WHERE number = ?", arguments: [Int64(bitPattern: number)])
            else { return nil }
            guard let h = try? H256([UInt8](d)) else { throw StorageError.corrupt("canonical hash at \(number)") }
            return h
        }
    }

    public func transactionLocation(_ txHash: H256) throws -> TransactionLocation? {
        switch pending.transactionLocation(txHash) {
        case .found(let l): return l
        case .deleted: return nil
        case .notPending: break
        }
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT block_hash, block_number, idx FROM tx_index WHERE tx_hash = ?",
                                             arguments: [Data(txHash.bytes)]) else { return nil }
            let block: Data = row[0]
            let number: Int64 = row[1]
            let idx: Int = row[2]
            guard let h = try? H256([UInt8](block)) else { throw StorageError.corrupt("tx index of \(txHash)") }
            return TransactionLocation(blockHash: h, blockNumber: UInt64(bitPattern: number), index: idx)
        }
    }

    public func metadata(_ key: String) throws -> [UInt8]? {
        if let v = pending.metadata(key) { return v }
        return try read { db in try Data.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = ?", arguments: [key]).map { [UInt8]($0) } }
    }

    /// Number of stored headers (all branches).
    public func headerCount() throws -> Int {
        try flush()
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM header") ?? 0 }
    }
}

/// The database's trie nodes as a read-only ``NodeStore``; writes go through ``WriteBatch``.
public struct DatabaseNodeStore: NodeStore {
    public let database: ChainDatabase

    public init(_ database: ChainDatabase) { self.database = database }

    public func node(_ hash: H256) throws -> [UInt8]? { try database.node(hash) }

    /// Direct writes bypass block atomicity, so they are refused; wrap in an ``OverlayNodeStore``.
    public func put(_ hash: H256, _ encoded: [UInt8]) throws {
        throw StorageError.writeFailed("trie nodes are written only with a block (use OverlayNodeStore)")
    }
}
