import AnkrCrypto
import AnkrPrimitives
import Foundation
import NIOCore

/// One connection's state: handshake progress, what the peer has, its request slots and its
/// message budget. Mutated on the connection's event loop and by the sync queue, so it locks.
public final class PeerSession: @unchecked Sendable {
    enum Phase { case awaitingHello, awaitingAuth, ready, closed }

    let channel: any Channel
    let outbound: Bool
    let dialed: PeerEndpoint?
    let challenge: [UInt8]
    private let lock = NSLock()
    private var _phase = Phase.awaitingHello
    private var _hello: Hello?
    private var _status: ChainStatus?
    private var pending: [UInt64: (Message?) -> Void] = [:]
    private var nextRequest: UInt64 = 1
    // Token bucket: `rate` messages per second, bursts up to `burst`.
    private var tokens: Double
    private var lastRefill = Date()
    let rate: Double
    let burst: Double
    /// Requests from this peer we are still answering; more than `maxServing` at once is abuse.
    private var serving = 0
    static let maxServing = 8

    init(channel: any Channel, outbound: Bool, dialed: PeerEndpoint?, rate: Double, burst: Double) {
        self.channel = channel
        self.outbound = outbound
        self.dialed = dialed
        var rng = SystemRandomNumberGenerator()
        self.challenge = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        self.rate = rate
        self.burst = burst
        self.tokens = burst
    }

    var phase: Phase {
        get { lock.withLock { _phase } }
        set { lock.withLock { _phase = newValue } }
    }

    public var hello: Hello? {
        get { lock.withLock { _hello } }
        set { lock.withLock { _hello = newValue } }
    }

    public var status: ChainStatus? {
        get { lock.withLock { _status } }
        set { lock.withLock { _status = newValue } }
    }

    /// The peer's node key as hex (its identity for bans), once it said hello.
    public var nodeID: String? { hello.map { $0.nodeKey.hex } }

    /// Where the peer accepts connections: its address with the port from its hello.
    public var listenEndpoint: PeerEndpoint? {
        guard let h = hello, h.listenPort > 0, h.listenPort <= 65535, let ip = channel.remoteAddress?.ipAddress else { return nil }
        return PeerEndpoint(host: ip, port: Int(h.listenPort))
    }

    /// Spends one token; false when the peer is over its message rate.
    func admitMessage() -> Bool {
        lock.withLock {
            let now = Date()
            tokens = min(burst, tokens + now.timeIntervalSince(lastRefill) * rate)
            lastRefill = now
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }
    }

    /// Reserves a slot to answer one of the peer's requests; false when it has too many in flight.
    func beginServing() -> Bool {
        lock.withLock {
            guard serving < Self.maxServing else { return false }
            serving += 1
            return true
        }
    }

    func endServing() { lock.withLock { serving -= 1 } }

    /// Gossip from this peer waiting for the import queue. Past `maxQueuedGossip`, new gossip is
    /// dropped, so a flood of valid-looking transactions or blocks cannot grow our queue without bound.
    private var queuedGossip = 0
    static let maxQueuedGossip = 4

    func enqueueGossip() -> Bool {
        lock.withLock {
            guard queuedGossip < Self.maxQueuedGossip else { return false }
            queuedGossip += 1
            return true
        }
    }

    func gossipDone() { lock.withLock { queuedGossip -= 1 } }

    func send(_ message: Message) {
        var buffer = channel.allocator.buffer(capacity: 64)
        buffer.writeBytes(message.encoded)
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// Sends a request built with a fresh id and blocks (off the event loop) until the answer or
    /// the timeout; nil on timeout or disconnect.
    func request(timeout: TimeInterval, _ build: (UInt64) -> Message) -> Message? {
        let done = DispatchSemaphore(value: 0)
        let box = ResponseBox()
        let id: UInt64 = lock.withLock {
            let id = nextRequest
            nextRequest += 1
            pending[id] = { response in box.value = response; done.signal() }
            return id
        }
        send(build(id))
        if done.wait(timeout: .now() + timeout) == .timedOut {
            _ = lock.withLock { pending.removeValue(forKey: id) }
            return nil
        }
        return box.value
    }

    /// Hands a response to its waiting request; false when nobody asked for it.
    func deliver(requestID: UInt64, _ message: Message) -> Bool {
        guard let callback = lock.withLock({ pending.removeValue(forKey: requestID) }) else { return false }
        callback(message)
        return true
    }

    /// Fails every waiting request (the connection closed).
    func failAll() {
        let callbacks = lock.withLock { () -> [(Message?) -> Void] in
            defer { pending = [:] }
            return Array(pending.values)
        }
        callbacks.forEach { $0(nil) }
    }

    private final class ResponseBox: @unchecked Sendable {
        var value: Message?
    }
}
