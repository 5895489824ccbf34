import AnkrChain
import AnkrPrimitives

/// The WorkMarket's storage layout, read and written through metered ``SystemStorage``.
///
/// Slots (Solidity-mapping style, keccak256 of 32-byte words):
/// - `0`: number of jobs (ids run 1…count)
/// - `keccak(1, job) + k`: the job's fields k = 0…8 (poster, module hash, subtasks, max fuel, price,
///   escrow, completed, open, posted-at block)
/// - `keccak(2, job, i)`: subtask i's input bytes (blob)
/// - `keccak(3, job, i) + k`: subtask i's result fields k = 0…6 (worker, output hash, fuel, payment,
///   bond, submitted-at block, status: 0 none, 1 accepted, 2 bond returned)
/// - `keccak(4, job, i)`: subtask i's output bytes (blob)
/// - `keccak(5, moduleHash)`: module bytes (blob), shared by every job that runs the module
public struct WorkMarketState {
    public var storage: SystemStorage

    public init(storage: SystemStorage) { self.storage = storage }

    /// An unmetered view for readers off chain (RPC, miners).
    public init(state: WorldState, address: Address = WorkMarket.address) {
        storage = SystemStorage(state: state, address: address, gasLimit: .max)
    }

    public mutating func jobCount() throws -> UInt256 { try storage.word(.zero) }
    public mutating func setJobCount(_ n: UInt256) throws { try storage.setWord(.zero, n) }

    public mutating func job(_ id: UInt256) throws -> WorkJob? {
        let base = SystemStorage.slot(1, id)
        let moduleHash = try storage.hash(base &+ 1)
        guard moduleHash != .zero else { return nil }
        return WorkJob(id: id, poster: try storage.address(base), moduleHash: moduleHash,
                       subtaskCount: try storage.word(base &+ 2).uint64 ?? 0, maxFuelPerSubtask: try storage.word(base &+ 3).uint64 ?? 0,
                       pricePerFuel: try storage.word(base &+ 4), escrow: try storage.word(base &+ 5),
                       completed: try storage.word(base &+ 6).uint64 ?? 0, open: !(try storage.word(base &+ 7)).isZero,
                       postedAt: try storage.word(base &+ 8).uint64 ?? 0)
    }

    public mutating func setJob(_ job: WorkJob) throws {
        let base = SystemStorage.slot(1, job.id)
        try storage.setAddress(base, job.poster)
        try storage.setHash(base &+ 1, job.moduleHash)
        try storage.setWord(base &+ 2, UInt256(job.subtaskCount))
        try storage.setWord(base &+ 3, UInt256(job.maxFuelPerSubtask))
        try storage.setWord(base &+ 4, job.pricePerFuel)
        try storage.setWord(base &+ 5, job.escrow)
        try storage.setWord(base &+ 6, UInt256(job.completed))
        try storage.setWord(base &+ 7, job.open ? .one : .zero)
        try storage.setWord(base &+ 8, UInt256(job.postedAt))
    }

    public mutating func input(job: UInt256, index: UInt64) throws -> [UInt8] {
        try storage.blob(SystemStorage.slot(2, job, UInt256(index)))
    }

    public mutating func setInput(job: UInt256, index: UInt64, _ bytes: [UInt8]) throws {
        try storage.setBlob(SystemStorage.slot(2, job, UInt256(index)), bytes)
    }

    public mutating func result(job: UInt256, index: UInt64) throws -> WorkResult? {
        let base = SystemStorage.slot(3, job, UInt256(index))
        let status = try storage.word(base &+ 6)
        guard !status.isZero else { return nil }
        return WorkResult(worker: try storage.address(base), outputHash: try storage.hash(base &+ 1),
                          fuel: try storage.word(base &+ 2).uint64 ?? 0, payment: try storage.word(base &+ 3),
                          bond: try storage.word(base &+ 4), submittedAt: try storage.word(base &+ 5).uint64 ?? 0,
                          bondReturned: status == UInt256(2))
    }

    /// Stores a result, or clears the record (and its output) when `result` is nil.
    public mutating func setResult(job: UInt256, index: UInt64, _ result: WorkResult?) throws {
        let base = SystemStorage.slot(3, job, UInt256(index))
        try storage.setAddress(base, result?.worker ?? .zero)
        try storage.setHash(base &+ 1, result?.outputHash ?? .zero)
        try storage.setWord(base &+ 2, UInt256(result?.fuel ?? 0))
        try storage.setWord(base &+ 3, result?.payment ?? .zero)
        try storage.setWord(base &+ 4, result?.bond ?? .zero)
        try storage.setWord(base &+ 5, UInt256(result?.submittedAt ?? 0))
        try storage.setWord(base &+ 6, result.map { $0.bondReturned ? UInt256(2) : .one } ?? .zero)
    }

    public mutating func output(job: UInt256, index: UInt64) throws -> [UInt8] {
        try storage.blob(SystemStorage.slot(4, job, UInt256(index)))
    }

    public mutating func setOutput(job: UInt256, index: UInt64, _ bytes: [UInt8]) throws {
        try storage.setBlob(SystemStorage.slot(4, job, UInt256(index)), bytes)
    }

    /// A module's bytes; empty when no job has stored it.
    public mutating func module(_ hash: H256) throws -> [UInt8] {
        try storage.blob(SystemStorage.slot(5, UInt256(bigEndian: hash.bytes) ?? .zero))
    }

    /// A module's length in bytes (0 when unknown), without reading it.
    public mutating func moduleLength(_ hash: H256) throws -> UInt256 {
        try storage.word(SystemStorage.slot(5, UInt256(bigEndian: hash.bytes) ?? .zero))
    }

    public mutating func setModule(_ bytes: [UInt8], hash: H256) throws {
        try storage.setBlob(SystemStorage.slot(5, UInt256(bigEndian: hash.bytes) ?? .zero), bytes)
    }
}
