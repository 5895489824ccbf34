import AnkrPrimitives
import AnkrRPC
import Foundation

/// A connection as a test sees it: notifications are recorded, and the test closes it.
final class SubscriptionTestSession: RPCSession, @unchecked Sendable {
    let sessionID: UInt64
    private let lock = NSLock()
    private var messages: [JSON] = []
    private var handlers: [@Sendable () -> Void] = []
    private var closed = false

    init(_ id: UInt64) { sessionID = id }

    func notify(_ message: JSON) -> Bool {
        lock.withLock {
            guard !closed else { return false }
            messages.append(message)
            return true
        }
    }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        let ended = lock.withLock {
            if !closed { handlers.append(handler) }
            return closed
        }
        if ended { handler() }
    }

    func close() {
        let run = lock.withLock {
            closed = true
            defer { handlers = [] }
            return handlers
        }
        run.forEach { $0() }
    }

    /// The notifications so far, as (subscription id, result), and forgets them.
    func take() -> [(subscription: String, result: JSON)] {
        lock.withLock {
            defer { messages = [] }
            return messages.map { ($0["params"]?["subscription"]?.string ?? "", $0["params"]?["result"] ?? .null) }
        }
    }

    /// Every raw message so far.
    var raw: [JSON] { lock.withLock { messages } }
}
