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

    /// Marks the session closed and returns the phase it was in, so only the first of several
    /// reasons to drop a peer counts against it.
    func markClosed() -> Phase {
        lock.withLock {
            defer { _phase = .closed }
            return _phase
        }
    }

    public var hello: Hello? {
        get { lock.withLock { _hello } }
        set { lock.withLock { _hello = newValue } }
    }

    public var status: ChainStatus? {
        get { lock.withLock { _status } }
        set { lock.withLock { _status = newValue } }
    }

    /// The peer's IP address (without port): the key for per-address limits and bans, since node
    /// keys cost an attacker nothing.
    public var remoteIP: String? { channel.remoteAddress?.ipAddress }

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

    /// Set while our `getPeers` is unanswered: only that one answer is taken, so a peer cannot
    /// push endpoints at will.
    private var peersAsked = false

    func askedForPeers() { lock.withLock { peersAsked = true } }

    /// True once for the answer to our `getPeers`.
    func takePeersAnswer() -> Bool {
        lock.withLock {
            defer { peersAsked = false }
            return peersAsked
        }
    }

    /// Claimed chain it failed to deliver: until `syncBenchedUntil` the syncer passes it over.
    private var syncFailures = 0
    private var syncBenchedUntil = Date.distantPast

    var isSyncBenched: Bool { lock.withLock { syncBenchedUntil > Date() } }

    /// Passes the peer over as sync source for `base` seconds, doubling with each failure (up to 32×).
    func benchForSync(base: TimeInterval) {
        lock.withLock {
            syncFailures = min(syncFailures + 1, 6)
            syncBenchedUntil = Date().addingTimeInterval(base * Double(1 << (syncFailures - 1)))
        }
    }

    /// Requests of ours still waiting for an answer from this peer.
    var awaitingResponse: Bool { lock.withLock { !pending.isEmpty } }

    /// Frame authentication (see ``SessionMAC``): on for what we send once our auth is written, on
    /// for what we receive once the peer's auth checked out. Counters wrap only after 2^64 frames.
    private var mac: SessionMAC?
    private var sealing = false
    private var opening = false
    private var sentFrames: UInt64 = 0
    private var receivedFrames: UInt64 = 0

    /// Called on the event loop right after our auth was written.
    func startSealing(_ mac: SessionMAC) { lock.withLock { self.mac = mac; sealing = true } }

    /// Called on the event loop once the peer's auth checked out.
    func startOpening() { lock.withLock { opening = true } }

    /// The payload of a received frame: the frame itself during the handshake, after it the frame
    /// without its tag, which must be right. Runs on the event loop, so frames are counted in order.
    func openFrame(_ frame: [UInt8]) throws(SessionMACError) -> [UInt8] {
        let (key, sequence) = lock.withLock { () -> (SessionMAC?, UInt64) in
            guard opening, let mac else { return (nil, 0) }
            defer { receivedFrames &+= 1 }
            return (mac, receivedFrames)
        }
        guard let key else { return frame }
        return try key.open(frame, sequence: sequence)
    }

    /// Sends a message; tags are added on the event loop, so they number frames in the order written.
    func send(_ message: Message) {
        let payload = message.encoded
        let write: @Sendable () -> Void = { [self] in
            let (key, sequence) = lock.withLock { () -> (SessionMAC?, UInt64) in
                guard sealing, let mac else { return (nil, 0) }
                defer { sentFrames &+= 1 }
                return (mac, sentFrames)
            }
            let bytes = key.map { $0.seal(payload, sequence: sequence) } ?? payload
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            channel.writeAndFlush(buffer, promise: nil)
        }
        if channel.eventLoop.inEventLoop { write() } else { channel.eventLoop.execute(write) }
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
