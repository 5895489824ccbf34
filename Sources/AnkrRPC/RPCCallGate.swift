import Foundation

/// A counter of running expensive calls with a fixed capacity. Entering never waits: a caller over
/// the capacity is refused, so a flood of slow calls cannot queue without bound or hold every thread.
public final class RPCCallGate: @unchecked Sendable {
    /// Most calls inside at once.
    public let capacity: Int
    private let lock = NSLock()
    private var running = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Calls inside now.
    public var count: Int { lock.withLock { running } }

    /// Takes a place and returns true, or returns false when all `capacity` places are taken.
    public func tryEnter() -> Bool {
        lock.withLock {
            guard running < capacity else { return false }
            running += 1
            return true
        }
    }

    /// Gives back a place taken by ``tryEnter()``.
    public func leave() {
        lock.withLock { running = max(0, running - 1) }
    }
}
