import AnkrPrimitives
import AnkrStorage
import Foundation
import GRDB

/// The operator's own SQLite database: every block it built or learned (deposits), whether each
/// operator block's root is on the main chain yet, the pending pool, the owners' confirm signatures,
/// the outputs exiting to the main chain, the main-chain block each deposit was read from and how far
/// the main chain was scanned for deposits and exits. Everything is written before it is served,
/// so a restarted operator continues exactly where it stopped.
public final class ChildChainStore: Sendable {
    private let writer: any DatabaseWriter
    /// Checkpoints the file's WAL beside the writer (nil in memory): one-by-one acceptance commits
    /// thousands of times a second and must not stop for an `fsync`.
    private let checkpointer: WALCheckpointer?

    /// Why the store could not be opened or read.
    public enum Failure: Error, CustomStringConvertible {
        /// SQLite could not open (or create) the database file.
        case cannotOpen(path: String, underlying: any Error)
        /// The schema could not be brought up to date.
        case migrationFailed(underlying: any Error)
        /// A deposit block's stored main-chain hash is not 32 bytes.
        case malformedDepositAnchor(block: UInt64)
        /// A scan's stored main-chain hash is not 32 bytes.
        case malformedScanAnchor(key: String)

        public var description: String {
            switch self {
            case .cannotOpen(let path, let e): return "cannot open \(path): \(e)"
            case .migrationFailed(let e): return "migration failed: \(e)"
            case .malformedDepositAnchor(let block): return "deposit block \(block) has a malformed main-chain hash"
            case .malformedScanAnchor(let key): return "scan \(key) has a malformed main-chain hash"
            }
        }
    }

    public init(path: String) throws {
        var config = Configuration()
        config.label = "ankr.plasma"
        let checkpointer = WALCheckpointer()
        self.checkpointer = checkpointer
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly { checkpointer.attach(to: db) }
        }
        do { writer = try DatabasePool(path: path, configuration: config) } catch {
            throw Failure.cannotOpen(path: path, underlying: error)
        }
        try migrate()
    }

    deinit { checkpointer?.close() }

    /// An in-memory store (tests, benchmarks).
    public init() throws {
        writer = try DatabaseQueue()
        checkpointer = nil
        try migrate()
    }

    private func migrate() throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE block (number INTEGER PRIMARY KEY, rlp BLOB NOT NULL, submitted INTEGER NOT NULL);
                CREATE TABLE pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, hash BLOB NOT NULL UNIQUE, rlp BLOB NOT NULL);
                CREATE TABLE confirmation (tx_hash BLOB PRIMARY KEY, signatures BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-exiting") { db in
            try db.execute(sql: "CREATE TABLE exiting (position INTEGER PRIMARY KEY) WITHOUT ROWID;")
        }
        migrator.registerMigration("v3-anchors") { db in
            // Deposits stored before this migration have no anchor: they were taken long ago and are not re-checked.
            try db.execute(sql: """
                CREATE TABLE deposit_anchor (block INTEGER PRIMARY KEY, main_number INTEGER NOT NULL, main_hash BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE scan_anchor (key TEXT PRIMARY KEY, main_number INTEGER NOT NULL, main_hash BLOB NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-pending-by-sequence") { db in
            // The pool's own sequence numbers key the pending table: an insert writes one page (no hash
            // index, no AUTOINCREMENT counter), and a block's transactions leave by one range delete.
            try db.execute(sql: """
                CREATE TABLE pending_by_sequence (seq INTEGER PRIMARY KEY, rlp BLOB NOT NULL);
                INSERT INTO pending_by_sequence (seq, rlp) SELECT seq, rlp FROM pending ORDER BY seq;
                DROP TABLE pending;
                ALTER TABLE pending_by_sequence RENAME TO pending;
                """)
        }
        migrator.registerMigration("v5-submitted-blocks") { db in
            // Marking a block submitted inserts a row here: an UPDATE of `block.submitted` rewrote the whole
            // row, a full block's 16 MB of transactions with it.
            try db.execute(sql: "CREATE TABLE submitted_block (number INTEGER PRIMARY KEY) WITHOUT ROWID;")
        }
        do { try migrator.migrate(writer) } catch { throw Failure.migrationFailed(underlying: error) }
    }

    /// Every stored block in number order, with its submitted flag.
    public func blocks() throws -> [(block: ChildBlock, submitted: Bool)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.rlp, b.submitted OR s.number IS NOT NULL AS submitted
                FROM block b LEFT JOIN submitted_block s ON s.number = b.number ORDER BY b.number
                """).map { row in
                let rlp: Data = row["rlp"]
                let submitted: Int = row["submitted"]
                return (try ChildBlock(encoded: [UInt8](rlp)), submitted != 0)
            }
        }
    }

    /// Stores blocks, and takes the pending transactions numbered up to `pendingThrough` (the pool's
    /// sequence numbers: a built block holds the oldest ones) out of the pending table, in one
    /// transaction (`anchors`: the main-chain blocks deposits were read from).
    ///
    /// Blocks not yet submitted are the operator's own, whose roots go to the main chain next: their
    /// transaction is synced to disk before this returns (`synchronous = FULL` for it), so a power
    /// loss cannot take away a block whose root is on the main chain. Other writes survive a crash
    /// of the process, not of the machine (acknowledged pending transactions included, like a node's
    /// mempool: their senders hold the signed bytes).
    public func save(_ blocks: [ChildBlock], submitted: Bool, pendingThrough: UInt64? = nil, anchors: [UInt64: MainChainAnchor] = [:]) throws {
        try writer.writeWithoutTransaction { db in
            if !submitted { try db.execute(sql: "PRAGMA synchronous = FULL") }
            defer { if !submitted { try? db.execute(sql: "PRAGMA synchronous = NORMAL") } }
            try db.inTransaction {
                try Self.write(anchors, db)
                let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO block (number, rlp, submitted) VALUES (?, ?, ?)")
                for block in blocks {
                    try insert.execute(arguments: [Int64(bitPattern: block.number), Data(block.encoded), submitted ? 1 : 0])
                }
                if let pendingThrough {
                    try db.execute(sql: "DELETE FROM pending WHERE seq <= ?", arguments: [Int64(clamping: pendingThrough)])
                }
                return .commit
            }
        }
    }

    public func markSubmitted(_ number: UInt64) throws {
        try writer.write { db in try db.execute(sql: "INSERT OR IGNORE INTO submitted_block (number) VALUES (?)", arguments: [Int64(bitPattern: number)]) }
    }

    /// Adds accepted transactions (the pool's sequence number, signed RLP) to the pending table and
    /// deletes the rows numbered `seqs`, in one transaction. A number already stored is an error:
    /// nothing is silently replaced.
    public func addPending(_ txs: [(seq: UInt64, raw: [UInt8])], droppingPending seqs: [UInt64] = []) throws {
        guard !txs.isEmpty || !seqs.isEmpty else { return }
        try writer.write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM pending WHERE seq = ?")
            for q in seqs { try delete.execute(arguments: [Int64(clamping: q)]) }
            let insert = try db.cachedStatement(sql: "INSERT INTO pending (seq, rlp) VALUES (?, ?)")
            for tx in txs { try insert.execute(arguments: [Int64(clamping: tx.seq), Data(tx.raw)]) }
        }
    }

    /// The pending transactions with their sequence numbers, oldest first.
    public func pending() throws -> [(seq: UInt64, tx: PlasmaTransaction)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, rlp FROM pending ORDER BY seq").map { row in
                let seq: Int64 = row["seq"], rlp: Data = row["rlp"]
                return (UInt64(clamping: seq), try PlasmaTransaction(encoded: [UInt8](rlp)))
            }
        }
    }

    public func saveConfirmation(_ txHash: H256, _ signatures: [UInt8]) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO confirmation (tx_hash, signatures) VALUES (?, ?)", arguments: [Data(txHash.bytes), Data(signatures)])
        }
    }

    public func confirmations() throws -> [H256: [UInt8]] {
        try writer.read { db in
            var out = [H256: [UInt8]]()
            for row in try Row.fetchAll(db, sql: "SELECT tx_hash, signatures FROM confirmation") {
                let h: Data = row["tx_hash"], s: Data = row["signatures"]
                if let hash = try? H256([UInt8](h)) { out[hash] = [UInt8](s) }
            }
            return out
        }
    }

    /// Outputs whose exit started on the main chain, and the pending transactions that spent them
    /// (dropped from the pool, by sequence number), in one transaction.
    public func addExiting(_ positions: [UInt64], droppingPending seqs: [UInt64]) throws {
        guard !positions.isEmpty || !seqs.isEmpty else { return }
        try writer.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO exiting (position) VALUES (?)")
            for p in positions { try insert.execute(arguments: [Int64(bitPattern: p)]) }
            let delete = try db.cachedStatement(sql: "DELETE FROM pending WHERE seq = ?")
            for q in seqs { try delete.execute(arguments: [Int64(clamping: q)]) }
        }
    }

    public func exiting() throws -> Set<UInt64> {
        try writer.read { db in Set(try Int64.fetchAll(db, sql: "SELECT position FROM exiting").map { UInt64(bitPattern: $0) }) }
    }

    private static func write(_ anchors: [UInt64: MainChainAnchor], _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO deposit_anchor (block, main_number, main_hash) VALUES (?, ?, ?)")
        for (block, a) in anchors { try insert.execute(arguments: [Int64(bitPattern: block), Int64(bitPattern: a.number), Data(a.hash.bytes)]) }
    }

    /// The main-chain block each deposit block was read from (deposits stored before anchors were kept have none).
    public func depositAnchors() throws -> [UInt64: MainChainAnchor] {
        try writer.read { db in
            var out = [UInt64: MainChainAnchor]()
            for row in try Row.fetchAll(db, sql: "SELECT block, main_number, main_hash FROM deposit_anchor") {
                let block: Int64 = row["block"], number: Int64 = row["main_number"], hash: Data = row["main_hash"]
                guard let h = try? H256([UInt8](hash)) else { throw Failure.malformedDepositAnchor(block: UInt64(bitPattern: block)) }
                out[UInt64(bitPattern: block)] = MainChainAnchor(number: UInt64(bitPattern: number), hash: h)
            }
            return out
        }
    }

    /// Moves deposits to the main-chain blocks they are now in (the same deposit, re-mined after a reorganisation).
    public func setDepositAnchors(_ anchors: [UInt64: MainChainAnchor]) throws {
        guard !anchors.isEmpty else { return }
        try writer.write { db in try Self.write(anchors, db) }
    }

    /// Forgets deposit blocks the main chain no longer holds, with the pending transactions that
    /// spent them, in one transaction.
    public func removeDeposits(_ numbers: [UInt64], droppingPending seqs: [UInt64]) throws {
        guard !numbers.isEmpty || !seqs.isEmpty else { return }
        try writer.write { db in
            for n in numbers {
                try db.execute(sql: "DELETE FROM block WHERE number = ?", arguments: [Int64(bitPattern: n)])
                try db.execute(sql: "DELETE FROM deposit_anchor WHERE block = ?", arguments: [Int64(bitPattern: n)])
                try db.execute(sql: "DELETE FROM submitted_block WHERE number = ?", arguments: [Int64(bitPattern: n)])
            }
            let delete = try db.cachedStatement(sql: "DELETE FROM pending WHERE seq = ?")
            for q in seqs { try delete.execute(arguments: [Int64(clamping: q)]) }
        }
    }

    /// The main-chain block a scan (`key`) reached, to notice a reorganisation below it.
    public func scanAnchor(_ key: String) throws -> MainChainAnchor? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT main_number, main_hash FROM scan_anchor WHERE key = ?", arguments: [key]) else { return nil }
            let number: Int64 = row["main_number"], hash: Data = row["main_hash"]
            guard let h = try? H256([UInt8](hash)) else { throw Failure.malformedScanAnchor(key: key) }
            return MainChainAnchor(number: UInt64(bitPattern: number), hash: h)
        }
    }

    /// Sets how far scan `key` reached: its main-chain block (nil: forget it) and its numeric mark
    /// in `meta` (nil: the next scan starts at block 0), in one transaction.
    public func setScan(_ key: String, to anchor: MainChainAnchor?, mark: UInt64?) throws {
        try writer.write { db in
            if let mark {
                try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, Int64(bitPattern: mark)])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
            }
            if let anchor {
                try db.execute(sql: "INSERT OR REPLACE INTO scan_anchor (key, main_number, main_hash) VALUES (?, ?, ?)",
                               arguments: [key, Int64(bitPattern: anchor.number), Data(anchor.hash.bytes)])
            } else {
                try db.execute(sql: "DELETE FROM scan_anchor WHERE key = ?", arguments: [key])
            }
        }
    }

    public func meta(_ key: String) throws -> UInt64? {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]).map { UInt64(bitPattern: $0) } }
    }

    public func setMeta(_ key: String, _ value: UInt64) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, Int64(bitPattern: value)])
        }
    }
}
