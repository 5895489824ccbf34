import Foundation

/// Runs `body` on a thread with a 512 MiB stack: 1,024 nested call frames recurse deeply.
public func runOnBigStack<T>(_ body: @escaping () throws -> T) throws -> T {
    let box = StackResultBox<T>()
    // The caller waits for the thread, so the work never runs concurrently with it.
    let work = StackWorkBox(body)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread { box.result = Result { try work.body() }; done.signal() }
    thread.stackSize = 512 << 20
    thread.start()
    done.wait()
    guard let r = box.result else { throw CommandFailure("the EVM thread ended without a result") }
    return try r.get()
}

private final class StackResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }
private final class StackWorkBox<T>: @unchecked Sendable {
    let body: () throws -> T
    init(_ body: @escaping () throws -> T) { self.body = body }
}
