import Dispatch
import Foundation

/// One sandbox run on its own thread, handed over to a caller that waits for it until a deadline.
/// Whichever comes first under the lock wins: the result (the caller gets it) or the abandonment
/// (the result is dropped when it finally arrives).
final class BoundedRun: @unchecked Sendable {
    private enum State {
        case running
        case finished(Result<SubtaskResult, any Error>)
        case abandoned
    }

    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var state = State.running
    private let onAbandon: @Sendable () -> Void
    private let onAbandonedFinish: @Sendable () -> Void

    /// `onAbandon` runs when the caller gives up on a run still going; `onAbandonedFinish` when such
    /// a run ends. The first always happens before the second.
    init(onAbandon: @escaping @Sendable () -> Void, onAbandonedFinish: @escaping @Sendable () -> Void) {
        self.onAbandon = onAbandon
        self.onAbandonedFinish = onAbandonedFinish
    }

    /// Called once, by the thread that ran the subtask.
    func finish(_ outcome: Result<SubtaskResult, any Error>) {
        let wasAbandoned = lock.withLock { () -> Bool in
            if case .abandoned = state { return true }
            state = .finished(outcome)
            return false
        }
        if wasAbandoned { onAbandonedFinish() } else { done.signal() }
    }

    /// The outcome if the run finished by `deadline`; nil once it is abandoned.
    func wait(until deadline: DispatchTime) -> Result<SubtaskResult, any Error>? {
        _ = done.wait(timeout: deadline)
        return lock.withLock {
            if case .finished(let outcome) = state { return outcome }
            state = .abandoned
            onAbandon()
            return nil
        }
    }
}
