import Dispatch
import Foundation

extension WasmSandbox {
    /// Runs abandoned at their deadline that may still be running before the sandbox refuses to
    /// start another (each holds a thread and up to ``Limits/maxMemoryBytes`` until its fuel ends).
    public static let maxAbandonedRuns = 2

    /// Runs a subtask like ``run(_:input:fuel:)``, but waits at most `deadline` of wall-clock time
    /// for it; past that it throws ``WorkError/deadlineExceeded(milliseconds:)``.
    ///
    /// The bound protects the caller from waiting, not the result: fuel alone decides what a
    /// subtask computes, so the same subtask gives the same fuel and output on every machine, and
    /// a deadline is only ever a local decision to stop waiting (never a consensus verdict).
    ///
    /// WasmKit has no interrupt, and a call that ran out of fuel cannot be resumed, so the run
    /// cannot be cut into fuel slices. It runs on its own thread instead; an abandoned run keeps
    /// that thread until its fuel budget ends it (fuel bounds every operator, memory growth and bulk
    /// copy, and admission bounds instantiation). At most ``maxAbandonedRuns`` are left running;
    /// beyond that the sandbox refuses with ``WorkError/sandboxBusy(abandonedRuns:)``.
    public func run(_ work: WorkModule, input: [UInt8], fuel: UInt64, deadline: Duration) throws -> SubtaskResult {
        let busy = abandonedLock.withLock { abandonedRunning }
        guard busy < Self.maxAbandonedRuns else { throw WorkError.sandboxBusy(abandonedRuns: busy) }
        let bounded = BoundedRun(onAbandon: { [self] in abandonedLock.withLock { abandonedRunning += 1 } },
                                 onAbandonedFinish: { [self] in abandonedLock.withLock { abandonedRunning -= 1 } })
        let thread = Thread { [self] in bounded.finish(Result { try self.run(work, input: input, fuel: fuel) }) }
        // The interpreter's own frames and WasmKit's translator run on this stack: give it a main thread's size.
        thread.stackSize = 8 << 20
        thread.start()
        let nanoseconds = Self.nanoseconds(deadline)
        guard let outcome = bounded.wait(until: DispatchTime.now() + .nanoseconds(nanoseconds)) else {
            throw WorkError.deadlineExceeded(milliseconds: Int64(nanoseconds / 1_000_000))
        }
        return try outcome.get()
    }

    /// A deadline in nanoseconds, clamped to 0…1 day (local configuration, but never a trap).
    static func nanoseconds(_ d: Duration) -> Int {
        let day = 86_400 * 1_000_000_000
        let (seconds, attoseconds) = d.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        guard seconds < 86_400 else { return day }
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}
