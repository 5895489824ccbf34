import Foundation

/// Runs the EVM where 1,024 nested call frames fit.
///
/// The interpreter recurses once per call depth (EVM.call → Frame.run → Frame.step → Frame.call): one
/// level takes ~32 KiB of stack in a debug build (the prologues reserve 22 + 6.8 + 2.1 + 0.7 KiB) and
/// a few KiB optimised, so the depth limit needs ~32 MiB, far more than the NIO, Dispatch or
/// cooperative-pool threads a node runs on have (8 MiB on Linux, 512 KiB on macOS). Every execution
/// therefore starts on a thread with a ``stackBytes`` stack: a transaction's outermost frame hops to
/// one unless it already runs on one, and callers that run many transactions (a block) hop once for
/// all of them with ``run(_:)``. Only the pages a frame touches are committed; the threads are kept
/// for reuse (``DeepStackThreads``). The hop changes nothing
/// the EVM computes, so results are identical on every node.
public enum DeepStack {
    /// Four times what the depth limit takes in a debug build: room for precompiles and native
    /// contracts at the deepest level.
    public static let stackBytes = 128 << 20

    static let marker = "ankr.evm.deepStack"

    /// Whether the calling thread is one ``run(_:)`` started.
    public static var isCurrentThreadDeep: Bool { Thread.current.threadDictionary[marker] != nil }

    /// Runs `body` on a thread with a ``stackBytes`` stack — the calling one when it already is one —
    /// and returns its result. The caller blocks until `body` ends, so it never runs concurrently with
    /// the code that called it.
    public static func run<T>(_ body: () throws -> T) throws -> T {
        if isCurrentThreadDeep { return try body() }
        return try withoutActuallyEscaping(body) { escapable in
            let handoff = Handoff(escapable)
            DeepStackThreads.shared.run { handoff.run() }
            return try handoff.outcome()
        }
    }

    /// A transaction's outermost frame, on a deep stack.
    static func frame(_ body: () -> FrameResult) -> FrameResult {
        (try? run(body)) ?? FrameResult(status: .failure("the deep-stack thread did not run"), gasLeft: 0, output: [])
    }

    /// Carries the body to the deep thread and its result back. One thread touches it at a time (the
    /// caller waits until it has run), which is what makes the unchecked conformance sound. The body is
    /// dropped as soon as it has run, before the caller wakes: `withoutActuallyEscaping` checks that
    /// nothing still holds it, and the thread outlives the call (it waits for the next one).
    private final class Handoff<T>: @unchecked Sendable {
        private var body: (() throws -> T)?
        private var result: Result<T, Error>?

        init(_ body: @escaping () throws -> T) { self.body = body }

        func run() {
            if let body { result = Result { try body() } }
            body = nil
        }

        /// What `body` returned or threw. A body that never ran cannot happen (the thread runs it before
        /// signalling) and is reported as ``DeepStackError`` all the same.
        func outcome() throws -> T {
            guard let result else { throw DeepStackError.threadDidNotRun }
            return try result.get()
        }
    }
}

/// The deep-stack thread ended without running its body (it always runs it before signalling).
public enum DeepStackError: Error { case threadDidNotRun }
