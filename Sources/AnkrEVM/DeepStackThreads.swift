import Foundation

/// The deep-stack threads ``DeepStack`` runs bodies on, kept for reuse: starting one (mapping its
/// 128 MiB stack, creating the thread) costs 50–100 µs, more than a small `eth_call` itself.
///
/// A caller takes an idle thread, or starts a new one when none is idle (so callers never wait for
/// each other); a thread that finishes parks itself for the next caller unless ``maxIdle`` already
/// wait, and then ends. At most ``maxIdle`` idle threads stay, holding only the stack pages they touched.
final class DeepStackThreads: @unchecked Sendable {
    static let shared = DeepStackThreads()
    /// Idle threads kept: enough for the RPC workers and a block import to find one each.
    static let maxIdle = 8

    private let lock = NSLock()
    private var idle: [Worker] = []

    /// Runs `job` on a deep-stack thread and returns when it has run.
    func run(_ job: @escaping () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let worker = lock.withLock { idle.popLast() } ?? start()
        worker.give { job(); done.signal() }
        done.wait()
    }

    private func start() -> Worker {
        let worker = Worker()
        let thread = Thread { [self] in
            Thread.current.threadDictionary[DeepStack.marker] = true
            while true {
                worker.runNext()
                let parked = lock.withLock {
                    guard idle.count < Self.maxIdle else { return false }
                    idle.append(worker)
                    return true
                }
                if !parked { return }
            }
        }
        thread.stackSize = DeepStack.stackBytes
        thread.start()
        return worker
    }

    /// One thread's mailbox. Only the caller that took the worker from the idle list (or started it)
    /// writes `job`, before signalling; the thread reads it after waking: the semaphore orders the two,
    /// which is what makes the unchecked conformance sound.
    private final class Worker: @unchecked Sendable {
        private let wake = DispatchSemaphore(value: 0)
        private var job: (() -> Void)?

        func give(_ job: @escaping () -> Void) {
            self.job = job
            wake.signal()
        }

        func runNext() {
            wake.wait()
            let job = self.job
            self.job = nil
            job?()
        }
    }
}
