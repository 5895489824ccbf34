import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The node's peer-to-peer service: accepts and dials peers, authenticates them, keeps them within
/// limits, gossips blocks and transactions, and syncs the chain from the heaviest peer.
public final class PeerNetwork: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 30_333
        public var bootnodes: [PeerEndpoint] = []
        public var targetPeers = 8
        public var maxPeers = 25
        public var messagesPerSecond: Double = 500
        public var banSeconds: TimeInterval = 120
        public var requestTimeout: TimeInterval = 10
        public init() {}
    }

    /// A snapshot of one peer for `ankr_peers`.
    public struct PeerInfo: Sendable {
        public var nodeID: String
        public var remote: String
        public var outbound: Bool
        public var headNumber: UInt64?
        public var totalDifficulty: UInt256?
    }

    public let configuration: Configuration
    public let chain: Blockchain
    public let mempool: Mempool
    public let nodeKey: PrivateKey
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private var server: (any Channel)?
    private let lock = NSLock()
    private var sessions: [ObjectIdentifier: PeerSession] = [:]
    private var bannedIDs: [String: Date] = [:]
    private var bannedEndpoints: [PeerEndpoint: Date] = [:]
    private var known: Set<PeerEndpoint> = []
    private var backoff: [PeerEndpoint: (next: Date, delay: TimeInterval)] = [:]
    private var dialing: Set<PeerEndpoint> = []
    private var syncing = false
    private var _highestSeen: UInt64 = 0
    private var _syncStart: UInt64?
    /// Block imports and sync run here, never on an event loop.
    private let work = DispatchQueue(label: "ankr.p2p.work")
    /// Answers to peers' header and body requests, off the import queue so a long sync never
    /// stalls serving others.
    private let serveQueue = DispatchQueue(label: "ankr.p2p.serve", attributes: .concurrent)
    private var maintenance: (any DispatchSourceTimer)?
    private var ticks = 0
    /// Called after the network made a block the new head (so the node can update its pool).
    public var onNewHead: (@Sendable (Block, [Transaction]) -> Void)?

    public init(configuration: Configuration, chain: Blockchain, mempool: Mempool, nodeKey: PrivateKey,
                logger: Logger = Logger(label: "ankr.p2p")) {
        self.configuration = configuration
        self.chain = chain
        self.mempool = mempool
        self.nodeKey = nodeKey
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.known = Set(configuration.bootnodes)
    }

    // MARK: Lifecycle

    /// Starts listening and dialing; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in self.configure(channel, outbound: false, dialed: nil) }
        let channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        lock.withLock { server = channel }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + 0.2, repeating: 1.0)
        timer.setEventHandler { [weak self] in self?.maintain() }
        timer.resume()
        maintenance = timer
        return listenPort
    }

    public var listenPort: Int { lock.withLock { server?.localAddress?.port } ?? configuration.port }

    public func stop() {
        maintenance?.cancel()
        maintenance = nil
        let all = lock.withLock { Array(sessions.values) }
        for s in all { s.channel.close(promise: nil) }
        try? lock.withLock { server }?.close().wait()
        work.sync {}
        try? group.syncShutdownGracefully()
    }

    private func configure(_ channel: any Channel, outbound: Bool, dialed: PeerEndpoint?) -> EventLoopFuture<Void> {
        let session = PeerSession(channel: channel, outbound: outbound, dialed: dialed,
                                  rate: configuration.messagesPerSecond, burst: configuration.messagesPerSecond * 2)
        // Initializers run on the channel's event loop, so the pipeline can be changed synchronously.
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(FrameDecoder()),
                MessageToByteHandler(FrameEncoder()),
                PeerHandler(network: self, session: session),
            ])
        }
    }

    // MARK: Peers

    public var peerCount: Int { lock.withLock { sessions.values.filter { $0.phase == .ready }.count } }

    public var peers: [PeerInfo] {
        lock.withLock { sessions.values.filter { $0.phase == .ready } }.map { s in
            PeerInfo(nodeID: s.nodeID ?? "", remote: s.channel.remoteAddress?.description ?? "?", outbound: s.outbound,
                     headNumber: s.status?.headNumber, totalDifficulty: s.status?.totalDifficulty)
        }
    }

    /// (start, current, highest) while syncing, nil when caught up.
    public var syncProgress: (start: UInt64, current: UInt64, highest: UInt64)? {
        let head = chain.head.number
        return lock.withLock {
            guard let start = _syncStart, _highestSeen > head else { return nil }
            return (start, head, _highestSeen)
        }
    }

    func connected(_ s: PeerSession) {
        lock.withLock { sessions[ObjectIdentifier(s)] = s }
        var hello = ourHello
        hello.challenge = s.challenge
        s.send(.hello(hello))
    }

    func disconnected(_ s: PeerSession) {
        s.phase = .closed
        s.failAll()
        lock.withLock { _ = sessions.removeValue(forKey: ObjectIdentifier(s)) }
    }

    /// Drops a peer that broke the protocol and bans it for a while.
    func misbehaved(_ s: PeerSession, _ why: String) {
        logger.info("dropping peer", metadata: ["remote": "\(s.channel.remoteAddress?.description ?? "?")", "reason": "\(why)"])
        let until = Date().addingTimeInterval(configuration.banSeconds)
        lock.withLock {
            if let id = s.nodeID { bannedIDs[id] = until }
            if let e = s.dialed ?? s.listenEndpoint { bannedEndpoints[e] = until }
        }
        s.send(.disconnect(why))
        s.phase = .closed
        s.channel.close(promise: nil)
    }

    /// Whether a node id is banned right now.
    public func isBanned(nodeID: String) -> Bool {
        lock.withLock { (bannedIDs[nodeID] ?? .distantPast) > Date() }
    }

    var ourHello: Hello {
        Hello(version: Hello.protocolVersion, chainID: chain.chainID, genesisHash: chain.genesisHash,
              nodeKey: nodeKey.publicKey.compressed, challenge: [], listenPort: UInt64(listenPort))
    }

    var ourStatus: ChainStatus {
        let head = chain.head
        return ChainStatus(headNumber: head.number, headHash: head.hash, totalDifficulty: (try? chain.totalDifficulty(head.hash)) ?? .zero)
    }

    /// Adds a peer to keep connected to (like geth's `admin_addPeer`) and dials it now.
    public func addPeer(_ endpoint: PeerEndpoint) {
        _ = lock.withLock { known.insert(endpoint) }
        dial(endpoint)
    }

    /// Connects to an endpoint unless already connected, dialing, banned or ourselves.
    public func dial(_ endpoint: PeerEndpoint) {
        let skip = lock.withLock { () -> Bool in
            if dialing.contains(endpoint) || (bannedEndpoints[endpoint] ?? .distantPast) > Date() { return true }
            if sessions.values.contains(where: { $0.dialed == endpoint || $0.listenEndpoint == endpoint }) { return true }
            dialing.insert(endpoint)
            return false
        }
        if skip || (endpoint.port == listenPort && (endpoint.host == configuration.host || endpoint.host == "127.0.0.1")) {
            _ = lock.withLock { dialing.remove(endpoint) }
            return
        }
        ClientBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(3))
            .channelInitializer { [self] channel in self.configure(channel, outbound: true, dialed: endpoint) }
            .connect(host: endpoint.host, port: endpoint.port)
            .whenComplete { [self] result in
                lock.withLock {
                    dialing.remove(endpoint)
                    switch result {
                    case .success:
                        backoff[endpoint] = nil
                    case .failure:
                        // Exponential backoff per endpoint, capped at a minute.
                        let delay = min(60, (backoff[endpoint]?.delay ?? 0.5) * 2)
                        backoff[endpoint] = (Date().addingTimeInterval(delay), delay)
                    }
                }
            }
    }

    /// Once a second: top up peers from the known endpoints, ping the rest.
    private func maintain() {
        let (count, candidates) = lock.withLock { () -> (Int, [PeerEndpoint]) in
            let now = Date()
            bannedIDs = bannedIDs.filter { $0.value > now }
            bannedEndpoints = bannedEndpoints.filter { $0.value > now }
            let ready = sessions.values.filter { $0.phase != .closed }.count
            let due = known.filter { (backoff[$0]?.next ?? .distantPast) <= now }
            return (ready, Array(due))
        }
        if count < configuration.targetPeers {
            for e in candidates.prefix(configuration.targetPeers - count) { dial(e) }
        }
        // Keep idle connections alive and tell peers where we are, every 15 s.
        let tick = lock.withLock { () -> Bool in
            ticks += 1
            return ticks % 15 == 0
        }
        if tick {
            broadcast(.ping(UInt64(Date().timeIntervalSince1970)))
            broadcast(.status(ourStatus))
        }
    }

    // MARK: Messages

    func received(_ message: Message, from s: PeerSession) {
        switch (s.phase, message) {
        case (.awaitingHello, .hello(let theirs)):
            if let why = Handshake.incompatibility(ours: ourHello, theirs: theirs) {
                s.send(.disconnect(why))
                s.channel.close(promise: nil)
                return
            }
            s.hello = theirs
            if isBanned(nodeID: theirs.nodeKey.hex) {
                s.channel.close(promise: nil)
                return
            }
            guard let answer = try? Handshake.answer(peerChallenge: theirs.challenge, nodeKey: nodeKey) else {
                s.channel.close(promise: nil)
                return
            }
            s.phase = .awaitingAuth
            s.send(.auth(signature: answer))
        case (.awaitingAuth, .auth(let signature)):
            guard let theirs = s.hello, Handshake.verify(answer: signature, ourChallenge: s.challenge, peerKey: theirs.nodeKey) else {
                misbehaved(s, "handshake signature does not match its node key")
                return
            }
            let duplicate = lock.withLock {
                sessions.values.contains { $0 !== s && $0.phase == .ready && $0.nodeID == s.nodeID }
                    || sessions.values.filter { $0.phase == .ready }.count >= configuration.maxPeers
            }
            if duplicate {
                s.send(.disconnect("already connected or too many peers"))
                s.channel.close(promise: nil)
                return
            }
            s.phase = .ready
            if let e = s.listenEndpoint { lock.withLock { _ = known.insert(e) } }
            s.send(.status(ourStatus))
            s.send(.getPeers)
            logger.info("peer connected", metadata: ["peer": "\(theirs.nodeKey.hex.prefix(12))", "direction": "\(s.outbound ? "outbound" : "inbound")"])
        case (.ready, _):
            handleReady(message, from: s)
        case (_, .disconnect):
            s.channel.close(promise: nil)
        default:
            misbehaved(s, "unexpected message before the handshake finished")
        }
    }

    private func handleReady(_ message: Message, from s: PeerSession) {
        switch message {
        case .status(let status):
            s.status = status
            considerSync(with: s)
        case .ping(let n):
            s.send(.pong(n))
        case .pong:
            break
        case .getPeers:
            let list = lock.withLock { sessions.values.filter { $0 !== s && $0.phase == .ready }.compactMap(\.listenEndpoint) }
            s.send(.peers(Array(list.prefix(Message.maxPeers))))
        case .peers(let list):
            lock.withLock { for e in list { known.insert(e) } }
        case .getHeaders(let id, let start, let count):
            guard s.beginServing() else { misbehaved(s, "more than \(PeerSession.maxServing) requests in flight"); return }
            serveQueue.async { [self] in
                defer { s.endServing() }
                var headers = [BlockHeader]()
                var n = start
                while UInt64(headers.count) < count, let h = try? chain.header(number: n) {
                    headers.append(h)
                    n += 1
                }
                s.send(.headers(requestID: id, headers))
            }
        case .getBodies(let id, let hashes):
            guard s.beginServing() else { misbehaved(s, "more than \(PeerSession.maxServing) requests in flight"); return }
            serveQueue.async { [self] in
                defer { s.endServing() }
                let bodies = hashes.map { (try? chain.block(hash: $0))?.transactions ?? [] }
                s.send(.bodies(requestID: id, bodies))
            }
        case .headers(let id, _), .bodies(let id, _):
            if !s.deliver(requestID: id, message) { misbehaved(s, "unsolicited response \(id)") }
        case .newBlockHashes(let list):
            guard let top = list.max(by: { $0.number < $1.number }) else { return }
            work.async { [self] in
                let unknown = list.contains { (try? chain.header(hash: $0.hash)) ?? nil == nil }
                guard unknown else { return }
                // The announcer has at least this height; fetching goes through the sync path.
                var status = s.status ?? ChainStatus(headNumber: 0, headHash: .zero, totalDifficulty: .zero)
                if top.number > status.headNumber {
                    status.headNumber = top.number
                    status.headHash = top.hash
                    // Equal difficulty per block on a dev chain; a heavier claim is checked when the blocks arrive.
                    status.totalDifficulty = max(status.totalDifficulty, ourStatus.totalDifficulty &+ .one)
                }
                s.status = status
                considerSync(with: s)
            }
        case .newBlock(let block, let td):
            var status = s.status ?? ChainStatus(headNumber: 0, headHash: .zero, totalDifficulty: .zero)
            if td > status.totalDifficulty { status = ChainStatus(headNumber: block.number, headHash: block.hash, totalDifficulty: td) }
            s.status = status
            guard s.enqueueGossip() else { return }
            work.async { [self] in
                defer { s.gossipDone() }
                receiveBlock(block, from: s)
            }
        case .transactions(let txs):
            guard s.enqueueGossip() else { return }
            work.async { [self] in
                defer { s.gossipDone() }
                let head = chain.head
                let state = chain.state(at: head)
                var fresh = [Transaction]()
                for tx in txs where mempool.transaction(tx.hash) == nil {
                    if (try? mempool.add(tx, state: state, head: head)) != nil { fresh.append(tx) }
                }
                if !fresh.isEmpty { broadcast(.transactions(fresh), except: s) }
            }
        case .hello, .auth:
            misbehaved(s, "handshake message after the handshake")
        case .disconnect:
            s.channel.close(promise: nil)
        }
    }

    // MARK: Gossip

    func broadcast(_ message: Message, except: PeerSession? = nil) {
        let targets = lock.withLock { sessions.values.filter { $0.phase == .ready && $0 !== except } }
        for t in targets { t.send(message) }
    }

    /// Announces a block that became our head: the full block to a square root of the peers, its hash
    /// to the rest (as Ethereum does), so bandwidth grows slowly with the peer count.
    public func announce(_ block: Block, except: PeerSession? = nil) {
        let td = (try? chain.totalDifficulty(block.hash)) ?? .zero
        let targets = lock.withLock { sessions.values.filter { $0.phase == .ready && $0 !== except } }.shuffled()
        let full = max(1, Int(Double(targets.count).squareRoot().rounded(.up)))
        for (i, t) in targets.enumerated() {
            t.send(i < full ? .newBlock(block, totalDifficulty: td) : .newBlockHashes([BlockAnnouncement(hash: block.hash, number: block.number)]))
        }
    }

    /// Gossips transactions that entered our pool.
    public func announce(_ transactions: [Transaction]) {
        guard !transactions.isEmpty else { return }
        broadcast(.transactions(transactions))
    }

    private func receiveBlock(_ block: Block, from s: PeerSession) {
        if (try? chain.header(hash: block.hash)) ?? nil != nil { return }
        guard (try? chain.header(hash: block.header.parentHash)) ?? nil != nil else {
            considerSync(with: s)
            return
        }
        do {
            let result = try chain.importBlock(block)
            if case .newHead(let orphaned) = result {
                onNewHead?(block, orphaned)
                announce(block, except: s)
            }
        } catch {
            misbehaved(s, "invalid block \(block.hash): \(error)")
        }
    }

    // MARK: Sync

    /// Starts a sync when any peer claims more total difficulty than we have; it runs against the
    /// peer with the most.
    private func considerSync(with s: PeerSession) {
        guard let theirs = s.status else { return }
        lock.withLock { _highestSeen = max(_highestSeen, theirs.headNumber) }
        let ours = ourStatus
        guard theirs.totalDifficulty > ours.totalDifficulty else { return }
        let start = lock.withLock { () -> Bool in
            if syncing { return false }
            syncing = true
            _syncStart = chain.head.number
            return true
        }
        guard start else { return }
        work.async { [self] in
            defer { lock.withLock { syncing = false; _syncStart = nil } }
            let best = lock.withLock { sessions.values.filter { $0.phase == .ready } }
                .max { ($0.status?.totalDifficulty ?? .zero) < ($1.status?.totalDifficulty ?? .zero) } ?? s
            sync(from: best)
        }
    }

    /// Header-first sync: headers in batches, then their bodies, each block fully validated and
    /// imported; resumes from our head, so a restart simply continues. Stops when the peer has
    /// nothing new, stops answering, or sends anything invalid (then it is banned).
    private func sync(from s: PeerSession) {
        let batch: UInt64 = 192
        var next = chain.head.number + 1
        while s.phase == .ready, let theirs = s.status, theirs.totalDifficulty > ourStatus.totalDifficulty {
            // Walk back until the peer's chain links onto a block we have (the fork point).
            var start = next
            var headers: [BlockHeader] = []
            while true {
                guard let reply = s.request(timeout: configuration.requestTimeout, { .getHeaders(requestID: $0, start: start, count: batch) }),
                      case .headers(_, let hs) = reply else { return }
                guard let first = hs.first else { return }
                guard first.number == start else { misbehaved(s, "headers start at \(first.number), asked for \(start)"); return }
                if (try? chain.header(hash: first.parentHash)) ?? nil != nil {
                    headers = hs
                    break
                }
                guard start > 1 else { misbehaved(s, "chain does not share our genesis"); return }
                start = start > 64 ? start - 64 : 1
            }
            for (a, b) in zip(headers, headers.dropFirst()) where b.parentHash != a.hash || b.number != a.number + 1 {
                misbehaved(s, "headers do not link at \(b.number)")
                return
            }
            guard let stored = fetchBodiesAndImport(headers, preferring: s) else { return }
            if stored == 0 { break }
            next = (headers.last?.number ?? next) + 1
            logger.info("synced", metadata: ["head": "\(chain.head.number)", "peer": "\(s.nodeID?.prefix(12) ?? "?")"])
        }
        // What we now know of the peer's head replaces its claim.
        if let st = s.status, let td = try? chain.totalDifficulty(st.headHash) {
            s.status = ChainStatus(headNumber: st.headNumber, headHash: st.headHash, totalDifficulty: td)
        }
    }

    /// Fetches bodies for linked headers, in chunks spread over every peer that has them (in
    /// parallel), then imports the blocks in order. Returns how many were new, nil on failure.
    private func fetchBodiesAndImport(_ headers: [BlockHeader], preferring s: PeerSession) -> Int? {
        let chunkSize = 64
        let chunks = stride(from: 0, to: headers.count, by: chunkSize).map { Array(headers[$0..<min(headers.count, $0 + chunkSize)]) }
        let candidates = lock.withLock { sessions.values.filter { $0.phase == .ready } }
        let results = BodiesBox(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            let chunk = chunks[i]
            guard let top = chunk.last?.number else { return }
            // Round-robin over peers whose head is high enough; the sync peer always qualifies.
            let able = candidates.filter { $0 === s || ($0.status?.headNumber ?? 0) >= top }
            let order = able.isEmpty ? [s] : Array(able[(i % able.count)...] + able[..<(i % able.count)])
            for peer in order.prefix(2) + (order.contains { $0 === s } ? [] : [s]) {
                guard let reply = peer.request(timeout: configuration.requestTimeout, { .getBodies(requestID: $0, chunk.map(\.hash)) }),
                      case .bodies(_, let bodies) = reply, bodies.count == chunk.count else { continue }
                // A body must match its header's transactions root, whoever sent it.
                guard zip(chunk, bodies).allSatisfy({ Block.transactionsRoot($1) == $0.transactionsRoot }) else {
                    misbehaved(peer, "block bodies do not match their headers")
                    continue
                }
                results.set(i, bodies)
                return
            }
        }
        var stored = 0
        for (i, chunk) in chunks.enumerated() {
            guard let bodies = results.get(i) else { return nil }
            for (header, txs) in zip(chunk, bodies) {
                let block = Block(header: header, transactions: txs)
                do {
                    switch try chain.importBlock(block) {
                    case .known: break
                    case .sideChain: stored += 1
                    case .newHead(let orphaned): stored += 1; onNewHead?(block, orphaned)
                    }
                } catch {
                    misbehaved(s, "invalid block \(header.number): \(error)")
                    return nil
                }
            }
        }
        return stored
    }

    private final class BodiesBox: @unchecked Sendable {
        private var slots: [[[Transaction]]?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ v: [[Transaction]]) { lock.withLock { slots[i] = v } }
        func get(_ i: Int) -> [[Transaction]]? { lock.withLock { slots[i] } }
    }
}
