import Foundation

/// One-to-many delivery of events, like go-ethereum's `event.Feed`: followers subscribe, the owner
/// sends, every follower sees every event in the order sent.
///
/// Handlers run synchronously on the sender's thread (the chain sends new heads while it still holds
/// its import lock, so followers see heads in order); they must be quick and must not send on the
/// same feed.
public final class EventFeed<Event: Sendable>: @unchecked Sendable {
    public typealias Handler = @Sendable (Event) -> Void

    /// Identifies a subscription, to end it.
    public struct Subscription: Hashable, Sendable {
        let id: UInt64
    }

    private let lock = NSLock()
    private var handlers: [(UInt64, Handler)] = []
    private var nextID: UInt64 = 0

    public init() {}

    /// Adds a follower; it sees events sent from now on.
    @discardableResult
    public func subscribe(_ handler: @escaping Handler) -> Subscription {
        lock.withLock {
            nextID += 1
            handlers.append((nextID, handler))
            return Subscription(id: nextID)
        }
    }

    public func unsubscribe(_ subscription: Subscription) {
        lock.withLock { handlers.removeAll { $0.0 == subscription.id } }
    }

    /// Delivers `event` to every follower (outside the feed's lock, so a handler may subscribe).
    public func send(_ event: Event) {
        let current = lock.withLock { handlers }
        for (_, h) in current { h(event) }
    }

    public var subscriberCount: Int { lock.withLock { handlers.count } }
}
