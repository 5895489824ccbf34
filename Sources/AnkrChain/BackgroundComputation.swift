import Dispatch
import Foundation

/// A value computed on another thread, started at creation; ``wait()`` returns it. Import uses it
/// for work that does not depend on executing the block in order, so that a second core does it
/// meanwhile. If no pool thread has picked the work up by the time it is wanted, the waiting
/// thread does it itself, so a saturated pool delays nothing.
public final class BackgroundComputation<Value: Sendable>: @unchecked Sendable {
    private let done = NSCondition()
    private let work: @Sendable () -> Value
    private var started = false
    private var value: Value?

    /// Starts `work` on a pool thread.
    public init(_ work: @escaping @Sendable () -> Value) {
        self.work = work
        DispatchQueue.global(qos: .userInitiated).async { self.run() }
    }

    /// The value, computed on this thread if no pool thread has started it yet.
    public func wait() -> Value {
        run()
        done.lock()
        defer { done.unlock() }
        while true {
            if let value { return value }
            done.wait()
        }
    }

    /// Computes the value unless another thread already claimed it.
    private func run() {
        done.lock()
        if started {
            done.unlock()
            return
        }
        started = true
        done.unlock()
        let result = work()
        done.lock()
        value = result
        done.broadcast()
        done.unlock()
    }
}
