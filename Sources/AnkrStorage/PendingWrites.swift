import AnkrPrimitives
import Foundation

/// Batches committed to a ``ChainDatabase`` but not yet in SQLite, oldest first. Reads look here
/// before the database, so a batch is visible from the moment it is committed; the database's
/// writer takes batches out only after SQLite holds them.
///
/// A failed write is sticky: the batch stays visible (this process already acted on it) and every
/// later commit is refused with the failure, because a later batch written without it would leave
/// the file inconsistent.
final class PendingWrites: @unchecked Sendable {
    /// One committed batch with the lookups reads need, built once.
    struct Entry: Sendable {
        let id: UInt64
        let batch: WriteBatch
        let headers: [H256: StoredHeader]
        let removedTransactions: Set<H256>

        init(id: UInt64, batch: WriteBatch) {
            self.id = id
            self.batch = batch
            headers = Dictionary(batch.headers.map { ($0.hash, $0) }) { _, newer in newer }
            removedTransactions = Set(batch.removeTransactions)
        }
    }

    /// What a batch says about a key that a batch may also delete.
    enum Lookup<Value> {
        case found(Value)
        case deleted
        /// No pending batch mentions it: ask the database.
        case notPending
    }

    private let condition = NSCondition()
    private var entries: [Entry] = []
    private var lastID: UInt64 = 0
    private var failure: StorageError?

    /// Adds `batch` once fewer than `limit` batches are pending; returns its id. Throws the sticky failure.
    func add(_ batch: WriteBatch, waitingBelow limit: Int) throws -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil, entries.count >= max(limit, 1) { condition.wait() }
        if let failure { throw Self.refusal(after: failure) }
        lastID &+= 1
        entries.append(Entry(id: lastID, batch: batch))
        return lastID
    }

    /// Throws the sticky failure, if a write failed.
    func checkWritable() throws {
        try condition.withLock { if let failure { throw Self.refusal(after: failure) } }
    }

    /// The batches to write next (all pending ones, oldest first); none after a failure.
    func toWrite() -> [Entry] {
        condition.withLock { failure == nil ? entries : [] }
    }

    /// SQLite holds every batch up to `id`.
    func written(through id: UInt64) {
        condition.withLock {
            entries.removeAll { $0.id <= id }
            condition.broadcast()
        }
    }

    func failed(_ error: StorageError) {
        condition.withLock {
            if failure == nil { failure = error }
            condition.broadcast()
        }
    }

    /// Waits until SQLite holds every batch up to `id` (every batch when nil); throws the failure if a write failed.
    func waitUntilWritten(through id: UInt64? = nil) throws {
        condition.lock()
        defer { condition.unlock() }
        let target = id ?? lastID
        while failure == nil, let oldest = entries.first, oldest.id <= target { condition.wait() }
        if let failure, entries.first.map({ $0.id <= target }) == true { throw Self.refusal(after: failure) }
    }

    private static func refusal(after failure: StorageError) -> StorageError {
        .writeFailed("a block's write failed (\(failure)); nothing more is written until the node restarts")
    }

    // MARK: Reads, newest batch first

    private func newest<T>(_ pick: (Entry) -> T?) -> T? {
        condition.withLock {
            for e in entries.reversed() { if let v = pick(e) { return v } }
            return nil
        }
    }

    private func newestLookup<T>(_ pick: (Entry) -> Lookup<T>) -> Lookup<T> {
        condition.withLock {
            for e in entries.reversed() {
                let l = pick(e)
                if case .notPending = l { continue }
                return l
            }
            return .notPending
        }
    }

    func node(_ hash: H256) -> [UInt8]? { newest { $0.batch.nodes[hash] } }
    func header(_ hash: H256) -> StoredHeader? { newest { $0.headers[hash] } }
    func body(_ hash: H256) -> [UInt8]? { newest { $0.batch.bodies[hash] } }
    func receipts(_ hash: H256) -> [UInt8]? { newest { $0.batch.receipts[hash] } }
    func metadata(_ key: String) -> [UInt8]? { newest { $0.batch.metadata[key] } }

    /// A batch truncates the canonical chain before it assigns numbers (as ``ChainDatabase/commit(_:)`` writes it).
    func canonicalHash(_ number: UInt64) -> Lookup<H256> {
        newestLookup { e in
            if let h = e.batch.canonical[number] { return .found(h) }
            if let above = e.batch.truncateCanonicalAbove, number > above { return .deleted }
            return .notPending
        }
    }

    /// A batch removes index rows before it adds them.
    func transactionLocation(_ hash: H256) -> Lookup<TransactionLocation> {
        newestLookup { e in
            if let l = e.batch.addTransactions[hash] { return .found(l) }
            if e.removedTransactions.contains(hash) { return .deleted }
            return .notPending
        }
    }
}
