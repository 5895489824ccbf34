import AnkrPrimitives
import Foundation
import GRDB

/// The operator's own SQLite database: every block it built or learned (deposits), whether each
/// operator block's root is on the main chain yet, the pending pool, the owners' confirm signatures,
/// the outputs exiting to the main chain, the main-chain block each deposit was read from and how far
/// the main chain was scanned for deposits and exits. Everything is written before it is served,
/// so a restarted operator continues exactly where it stopped.
public final class ChildChainStore: Sendable {
    private let writer: any DatabaseWriter

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
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do { writer = try DatabasePool(path: path, configuration: config) } catch {
            throw Failure.cannotOpen(path: path, underlying: error)
        }
        try migrate()
    }

    /// An in-memory store (tests, benchmarks).
    public init() throws {
        writer = try DatabaseQueue()
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
        do { try migrator.migrate(writer) } catch { throw Failure.migrationFailed(underlying: error) }
    }

    /// Every stored block in number order, with its submitted flag.
    public func blocks() throws -> [(block: ChildBlock, submitted: Bool)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT rlp, submitted FROM block ORDER BY number").map { row in
                let rlp: Data = row["rlp"]
                let submitted: Int = row["submitted"]
                return (try ChildBlock(encoded: [UInt8](rlp)), submitted != 0)
            }
        }
    }

    /// Stores blocks and takes their transactions out of the pending pool, in one transaction
    /// (`hashes[i]`, when given, are block i's transaction hashes; `anchors`, the main-chain blocks
    /// deposits were read from).
    public func save(_ blocks: [ChildBlock], submitted: Bool, hashes: [[H256]]? = nil, anchors: [UInt64: MainChainAnchor] = [:]) throws {
        try writer.write { db in
            try Self.write(anchors, db)
            for (i, block) in blocks.enumerated() {
                try db.execute(sql: "INSERT OR REPLACE INTO block (number, rlp, submitted) VALUES (?, ?, ?)",
                               arguments: [Int64(bitPattern: block.number), Data(block.encoded), submitted ? 1 : 0])
                let delete = try db.cachedStatement(sql: "DELETE FROM pending WHERE hash = ?")
                for (k, tx) in block.transactions.enumerated() where !tx.isDeposit {
                    try delete.execute(arguments: [Data((hashes?[i][k] ?? tx.hash).bytes)])
                }
            }
        }
    }

    public func markSubmitted(_ number: UInt64) throws {
        try writer.write { db in try db.execute(sql: "UPDATE block SET submitted = 1 WHERE number = ?", arguments: [Int64(bitPattern: number)]) }
    }

    /// Adds accepted transactions (hash, signed RLP) to the pending pool, in one transaction.
    public func addPending(_ txs: [(hash: H256, raw: [UInt8])]) throws {
        guard !txs.isEmpty else { return }
        try writer.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO pending (hash, rlp) VALUES (?, ?)")
            for tx in txs { try insert.execute(arguments: [Data(tx.hash.bytes), Data(tx.raw)]) }
        }
    }

    public func pending() throws -> [PlasmaTransaction] {
        try writer.read { db in
            try Data.fetchAll(db, sql: "SELECT rlp FROM pending ORDER BY seq").map { try PlasmaTransaction(encoded: [UInt8]($0)) }
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
    /// (dropped from the pool), in one transaction.
    public func addExiting(_ positions: [UInt64], droppingPending hashes: [H256]) throws {
        guard !positions.isEmpty || !hashes.isEmpty else { return }
        try writer.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO exiting (position) VALUES (?)")
            for p in positions { try insert.execute(arguments: [Int64(bitPattern: p)]) }
            let delete = try db.cachedStatement(sql: "DELETE FROM pending WHERE hash = ?")
            for h in hashes { try delete.execute(arguments: [Data(h.bytes)]) }
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
    public func removeDeposits(_ numbers: [UInt64], droppingPending hashes: [H256]) throws {
        guard !numbers.isEmpty || !hashes.isEmpty else { return }
        try writer.write { db in
            for n in numbers {
                try db.execute(sql: "DELETE FROM block WHERE number = ?", arguments: [Int64(bitPattern: n)])
                try db.execute(sql: "DELETE FROM deposit_anchor WHERE block = ?", arguments: [Int64(bitPattern: n)])
            }
            let delete = try db.cachedStatement(sql: "DELETE FROM pending WHERE hash = ?")
            for h in hashes { try delete.execute(arguments: [Data(h.bytes)]) }
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
