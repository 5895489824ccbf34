import AnkrPrimitives
import Foundation

/// Lets a long-running client's loop follow the chain by subscription: ``wait(upTo:)`` returns as
/// soon as the node announces a new head on a WebSocket `newHeads` subscription, or when the time is
/// up. While the node cannot be subscribed to (an `https://` node, no WebSocket or no `eth_subscribe`,
/// a lost connection) it is a plain sleep, so the loop keeps polling as before, and the subscription
/// is retried every `retry`. Each (re)subscription wakes the loop once, so what happened while it
/// was down is caught up by the loop's own reading from where it left off.
public final class ChainHeadWaiter: @unchecked Sendable {
    /// The WebSocket address derived from the node's HTTP one (nil for anything but `http://`).
    public let webSocketURL: URL?
    private let condition = NSCondition()
    /// Bumped by every head and every (re)subscription.
    private var generation: UInt64 = 0
    private var subscribed = false
    private var stopped = false
    private var follower: Task<Void, Never>?

    /// Starts following the node at `nodeURL` (`http://host:port`, its WebSocket on the same port).
    public init(nodeURL: URL, retry: Duration = .seconds(5)) {
        webSocketURL = Self.webSocketURL(for: nodeURL)
        guard let url = webSocketURL else { return }
        follower = Task.detached { [weak self] in
            while let waiter = self, !waiter.isStopped {
                await waiter.follow(url)
                try? await Task.sleep(for: retry)
            }
        }
    }

    deinit { follower?.cancel() }

    /// True while a `newHeads` subscription is live.
    public var isSubscribed: Bool { condition.withLock { subscribed } }

    /// Blocks until the next head (or resubscription) or until `seconds` have passed.
    public func wait(upTo seconds: Double) {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        condition.lock()
        defer { condition.unlock() }
        let seen = generation
        while generation == seen && !stopped {
            if !condition.wait(until: deadline) { return }
        }
    }

    /// ``wait(upTo:)`` for async loops, off the cooperative threads.
    public func next(upTo seconds: Double) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.wait(upTo: seconds)
                done.resume()
            }
        }
    }

    /// Ends the subscription and wakes any waiter.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
        follower?.cancel()
    }

    private var isStopped: Bool { condition.withLock { stopped } }

    /// One subscription's life: connect, subscribe, wake the loop on each head until it ends.
    private func follow(_ url: URL) async {
        guard let client = try? await WebSocketRPCClient.connect(to: url, timeout: .seconds(5)) else { return }
        defer { client.close() }
        guard let subscription = try? await client.subscribe("newHeads") else { return }
        bump(subscribed: true)
        do {
            for try await _ in subscription.notifications {
                if isStopped || Task.isCancelled { break }
                bump(subscribed: true)
            }
        } catch {}
        bump(subscribed: false)
    }

    private func bump(subscribed now: Bool) {
        condition.withLock {
            subscribed = now
            generation &+= 1
            condition.broadcast()
        }
    }

    /// `ws://host:port/path` for `http://host:port/path`; nil for other schemes (no `wss` client).
    static func webSocketURL(for url: URL) -> URL? {
        guard url.scheme?.lowercased() == "http", var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
        parts.scheme = "ws"
        return parts.url
    }
}
