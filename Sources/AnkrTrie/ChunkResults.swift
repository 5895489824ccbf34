/// One result per chunk of a `DispatchQueue.concurrentPerform`, each slot written by one thread.
final class ChunkResults<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLockShim()
    private var parts: [Result?]

    init(count: Int) { parts = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ result: Result) { lock.withLock { parts[i] = result } }

    /// Every chunk's result in order; call after `concurrentPerform` returns (every slot is set).
    func all() -> [Result] { lock.withLock { parts.compactMap { $0 } } }
}
