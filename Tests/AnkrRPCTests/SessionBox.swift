import AnkrRPC
import Foundation
import Synchronization

/// A session a test method handed out, kept so the test can push notifications through it.
final class SessionBox: Sendable {
    private let sessions = Mutex<[any RPCSession]>([])
    private let closed = Mutex<[UInt64]>([])
    func add(_ s: any RPCSession) {
        sessions.withLock { $0.append(s) }
        s.onClose { [self] in closed.withLock { $0.append(s.sessionID) } }
    }
    var all: [any RPCSession] { sessions.withLock { $0 } }
    var closedIDs: [UInt64] { closed.withLock { $0 } }

    /// Waits up to `seconds` for `condition`.
    func wait(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }
}
