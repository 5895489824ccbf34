import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// Takes SQLite's WAL checkpoints off the commit path.
///
/// By default the connection that commits past 1,000 WAL pages copies the WAL back into the database
/// file itself, with an `fsync` before and after, while every later writer waits (measured on the
/// Plasma operator: a fifth of its 2 cores idle during one-by-one acceptance). Here the writer's
/// commit only wakes a checkpoint thread, which runs a passive checkpoint over its own connection:
/// writers go on appending to the WAL meanwhile. Data safety is SQLite's own (a checkpoint from
/// another connection is an ordinary one); only who waits changes.
///
/// The WAL stays bounded whatever the background thread manages: a commit that leaves
/// ``hardLimitPages`` or more in the WAL checkpoints inline, as SQLite would have (unless the
/// background checkpoint holds the lock right then: it is copying, and the next commit tries again).
/// Under back-to-back commits that is also where the WAL starts over, since a checkpoint by another
/// connection never finds a gap between two commits; its file is then cut back to that size.
public final class WALCheckpointer: @unchecked Sendable {
    /// WAL pages after which a commit asks for a background checkpoint (SQLite's own default).
    public let thresholdPages: Int32
    /// WAL pages after which the committing connection checkpoints inline.
    public let hardLimitPages: Int32

    private let durable: Bool
    private let queue: DispatchQueue
    private let lock = NSLock()
    /// The database file, as the writer's connection names it (absolute): set by ``attach(to:)``.
    private var file: String?
    private var scheduled = false
    /// WAL frames the last checkpoint copied: the next is asked for once `thresholdPages` more are written.
    private var copiedFrames: Int32 = 0
    private var closed = false
    private var _background = 0
    private var _inline = 0
    /// The checkpoint connection: only ever touched on `queue`.
    private var connection: OpaquePointer?

    /// A checkpointer for the database whose writer it is attached to; its own connection syncs like the writer's
    /// (`synchronous = FULL` when `durable`, else `NORMAL`). `queue` runs the checkpoints (tests
    /// pass one they can suspend).
    public init(durable: Bool = false, thresholdPages: Int32 = 1_000, hardLimitPages: Int32 = 4_096, queue: DispatchQueue? = nil) {
        self.durable = durable
        self.thresholdPages = max(1, thresholdPages)
        self.hardLimitPages = max(self.thresholdPages, hardLimitPages)
        self.queue = DispatchQueue(label: "ankr.sqlite.checkpoint", qos: .utility, target: queue)
    }

    /// Checkpoints run so far in the background and inline (tests, metrics).
    public var checkpoints: (background: Int, inline: Int) { lock.withLock { (_background, _inline) } }

    /// Installs the commit hook on the writer's connection (call from `prepareDatabase` for the
    /// writer only, once). It replaces SQLite's automatic checkpoint on that connection.
    public func attach(to db: Database) {
        if let name = sqlite3_db_filename(db.sqliteConnection, "main") { lock.withLock { file = String(cString: name) } }
        // Once the WAL starts over, its file is cut back to the hard limit's size.
        sqlite3_exec(db.sqliteConnection, "PRAGMA journal_size_limit = \(Int(hardLimitPages) * 4_096)", nil, nil, nil)
        // The hook may run as long as the connection lives, which GRDB decides: the context keeps
        // this object alive for the life of the process (a few hundred bytes per opened database).
        let context = Unmanaged.passRetained(self).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, db, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(db: db, pages: pages)
            return SQLITE_OK
        }, context)
    }

    /// Waits for a scheduled checkpoint, then closes the checkpoint connection; later commits
    /// checkpoint inline only. The owner calls this when it closes the database.
    public func close() {
        queue.sync {
            lock.withLock { closed = true }
            if let connection { sqlite3_close_v2(connection) }
            connection = nil
        }
    }

    /// On the committing thread, after the commit, with the WAL's size in pages.
    private func committed(db: OpaquePointer?, pages: Int32) {
        if pages >= hardLimitPages {
            // Under a steady stream of commits the WAL only grows: a passive checkpoint from another
            // connection copies it, but only the writer's own, between two commits, lets the next
            // commit start the file over. The background copies kept this one short.
            // Busy while the background checkpoint runs: that one is copying, and the next commit asks again.
            if sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
                lock.withLock {
                    _inline += 1
                    copiedFrames = 0
                }
            }
            return
        }
        let schedule: Bool = lock.withLock {
            if pages < copiedFrames { copiedFrames = 0 }  // the WAL started over
            guard pages - copiedFrames >= thresholdPages, !scheduled, !closed else { return false }
            scheduled = true
            return true
        }
        guard schedule else { return }
        queue.async { self.runBackground() }
    }

    /// On `queue`.
    private func runBackground() {
        let file: String? = lock.withLock {
            scheduled = false
            return closed ? nil : self.file
        }
        guard let file else { return }
        if connection == nil { connection = Self.open(file, durable: durable) }
        guard let handle = connection else { return }
        // A failed checkpoint (a busy file, an I/O error) loses nothing: the frames stay in the WAL,
        // the next commit asks again, and the inline limit still holds. A connection that reports no
        // WAL (-1) is not looking at it: it is opened anew next time.
        var log: Int32 = -1, done: Int32 = -1
        guard sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK, log >= 0, done >= 0 else {
            sqlite3_close_v2(handle)
            connection = nil
            return
        }
        lock.withLock {
            _background += 1
            copiedFrames = max(copiedFrames, done)
        }
    }

    /// A read-write connection to `file` that has read its schema (so it sees the WAL), or nil.
    private static func open(_ file: String, durable: Bool) -> OpaquePointer? {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(file, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              sqlite3_busy_timeout(handle, 1_000) == SQLITE_OK,
              sqlite3_exec(handle, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", nil, nil, nil) == SQLITE_OK,
              sqlite3_exec(handle, "SELECT 1 FROM sqlite_schema LIMIT 1", nil, nil, nil) == SQLITE_OK
        else {
            sqlite3_close_v2(handle)
            return nil
        }
        return handle
    }
}
