import Foundation

/// Independent callers, as an RPC server's threads are: `threads` threads take the next item index
/// until `count` are done, each call blocking its own thread.
enum CallerThreads {
    /// Runs `call` for every index in 0..<count; true when every call returned true.
    static func run(_ threads: Int, count: Int, _ call: @escaping @Sendable (Int) -> Bool) -> Bool {
        let state = Shared(count: count)
        let done = DispatchGroup()
        for _ in 0..<max(1, threads) {
            done.enter()
            Thread.detachNewThread {
                while let i = state.next() {
                    if !call(i) { state.fail() }
                }
                done.leave()
            }
        }
        done.wait()
        return state.succeeded
    }

    private final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var taken = 0
        private var failed = false
        private let count: Int
        init(count: Int) { self.count = count }

        func next() -> Int? {
            lock.withLock {
                guard taken < count, !failed else { return nil }
                taken += 1
                return taken - 1
            }
        }
        func fail() { lock.withLock { failed = true } }
        var succeeded: Bool { lock.withLock { !failed && taken == count } }
    }
}
