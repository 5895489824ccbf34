import Dispatch
import Foundation

/// A value computed on another thread, started at creation; ``wait()`` returns it (blocking until
/// it is ready). Import uses it for work that does not depend on executing the block in order,
/// so that a second core does it meanwhile.
final class BackgroundComputation<Value: Sendable>: @unchecked Sendable {
    private let done = NSCondition()
    private var value: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            let result = work()
            self.done.lock()
            self.value = result
            self.done.broadcast()
            self.done.unlock()
        }
    }

    func wait() -> Value {
        done.lock()
        defer { done.unlock() }
        while true {
            if let value { return value }
            done.wait()
        }
    }
}
