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
        /// Inbound connections still in the handshake; more are refused at once. Counted apart from
        /// `maxPeers` and from the dialing target, so sockets that never speak cannot take peer slots
        /// or stop us dialing out.
        public var maxPendingHandshakes = 16
        /// Seconds a connection gets to finish the handshake before it is closed.
        public var handshakeTimeout: TimeInterval = 10
        /// Inbound connections (in the handshake or ready) from one IP address.
        public var maxInboundPerIP = 8
        /// Protocol violations from one IP address within `banSeconds` that ban the address itself
        /// (node keys are free to make, so banning only the key does not stop anyone).
        public var strikesPerIP = 3
        /// Endpoints remembered for dialing; bootnodes and added peers are always kept.
        public var maxKnownPeers = 256
        /// Seconds a peer that claimed more chain than it delivered is passed over as sync source;
        /// doubles with each repeat.
        public var syncPenalty: TimeInterval = 30
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
    let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private var server: (any Channel)?
    let lock = NSLock()
    var sessions: [ObjectIdentifier: PeerSession] = [:]
    private var bannedIDs: [String: Date] = [:]
    private var bannedEndpoints: [PeerEndpoint: Date] = [:]
    private var bannedHosts: [String: Date] = [:]
    private var strikes: [String: (count: Int, since: Date)] = [:]
    private var known: KnownPeers
    private var backoff: [PeerEndpoint: (next: Date, delay: TimeInterval)] = [:]
    private var dialing: Set<PeerEndpoint> = []
    var syncing = false
    var syncStart: UInt64?
    /// Block imports and sync run here, never on an event loop.
    let work = DispatchQueue(label: "ankr.p2p.work")
    /// Answers to peers' header and body requests, off the import queue so a long sync never
    /// stalls serving others.
    let serveQueue = DispatchQueue(label: "ankr.p2p.serve", attributes: .concurrent)
    private var maintenance: (any DispatchSourceTimer)?
    private var ticks = 0
    /// This network follows the chain's imports and the pool's admissions (to announce what this node
    /// produced and what arrived locally) while it runs.
    private var followed: (EventFeed<BlockImport>.Subscription, EventFeed<AdmittedTransaction>.Subscription)?

    public init(configuration: Configuration, chain: Blockchain, mempool: Mempool, nodeKey: PrivateKey,
                logger: Logger = Logger(label: "ankr.p2p")) {
        self.configuration = configuration
        self.chain = chain
        self.mempool = mempool
        self.nodeKey = nodeKey
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.known = KnownPeers(capacity: configuration.maxKnownPeers, pinned: configuration.bootnodes)
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
        // A peer's blocks and transactions are relayed where they arrive (to everyone but the sender);
        // our own, and those an orphaned block gave back, are announced here.
        let heads = chain.imports.subscribe { [weak self] event in
            if event.origin == .produced && event.isNewHead { self?.announce(event.block) }
        }
        let transactions = mempool.admissions.subscribe { [weak self] admitted in
            if admitted.origin != .peer { self?.announce([admitted.transaction]) }
        }
        lock.withLock { followed = (heads, transactions) }
        return listenPort
    }

    public var listenPort: Int { lock.withLock { server?.localAddress?.port } ?? configuration.port }

    public func stop() {
        if let (heads, transactions) = lock.withLock({ followed }) {
            chain.imports.unsubscribe(heads)
            mempool.admissions.unsubscribe(transactions)
        }
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
        // Big enough for the largest block our gas limit allows, so an honest block always fits.
        let frameLimit = Message.frameLimit(gasLimit: chain.head.gasLimit)
        // Initializers run on the channel's event loop, so the pipeline can be changed synchronously.
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(FrameDecoder(maxFrameBytes: frameLimit)),
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

    /// Endpoints we may dial (bounded by `maxKnownPeers`).
    public var knownPeerCount: Int { lock.withLock { known.count } }

    /// (start, current, highest) while syncing, nil when caught up. The highest is what peers we
    /// still sync from claim; a peer passed over for not delivering its claim no longer counts.
    public var syncProgress: (start: UInt64, current: UInt64, highest: UInt64)? {
        let head = chain.head.number
        let (start, candidates) = lock.withLock { (syncStart, sessions.values.filter { $0.phase == .ready }) }
        let highest = candidates.filter { !$0.isSyncBenched }.compactMap { $0.status?.headNumber }.max() ?? 0
        guard let start, highest > head else { return nil }
        return (start, head, highest)
    }

    func connected(_ s: PeerSession) {
        let refusal = lock.withLock { () -> String? in
            if !s.outbound {
                let ip = s.remoteIP
                if let ip, (bannedHosts[ip] ?? .distantPast) > Date() { return "address \(ip) is banned" }
                let inbound = sessions.values.filter { !$0.outbound && $0.phase != .closed }
                if inbound.count(where: { $0.phase != .ready }) >= configuration.maxPendingHandshakes { return "too many pending handshakes" }
                if let ip, inbound.count(where: { $0.remoteIP == ip }) >= configuration.maxInboundPerIP { return "too many connections from \(ip)" }
            }
            sessions[ObjectIdentifier(s)] = s
            return nil
        }
        if let refusal {
            logger.debug("refusing connection", metadata: ["remote": "\(s.channel.remoteAddress?.description ?? "?")", "reason": "\(refusal)"])
            s.phase = .closed
            s.channel.close(promise: nil)
            return
        }
        // A connection that has not finished the handshake in time is closed (silent sockets).
        let timeout = TimeAmount.milliseconds(Int64(max(0, configuration.handshakeTimeout) * 1000))
        s.channel.eventLoop.scheduleTask(in: timeout) {
            if s.phase != .ready && s.phase != .closed {
                s.phase = .closed
                s.channel.close(promise: nil)
            }
        }
        var hello = ourHello
        hello.challenge = s.challenge
        s.send(.hello(hello))
    }

    func disconnected(_ s: PeerSession) {
        s.phase = .closed
        s.failAll()
        lock.withLock { _ = sessions.removeValue(forKey: ObjectIdentifier(s)) }
    }

    /// Drops a peer that broke the protocol and bans it for a while: its node key only once the
    /// handshake proved it holds that key and the offence came in an authenticated frame (otherwise
    /// it may be someone else's doing), the endpoint we dialed, and its IP address after
    /// `strikesPerIP` violations.
    func misbehaved(_ s: PeerSession, _ why: String, attributable: Bool = true) {
        let phase = s.markClosed()
        // Frames already buffered keep arriving until the socket closes: one offence per connection.
        guard phase != .closed else { return }
        logger.info("dropping peer", metadata: ["remote": "\(s.channel.remoteAddress?.description ?? "?")", "reason": "\(why)"])
        let now = Date()
        let until = now.addingTimeInterval(configuration.banSeconds)
        let authenticated = attributable && phase == .ready
        lock.withLock {
            if authenticated, let id = s.nodeID { bannedIDs[id] = until }
            if let e = s.dialed ?? (authenticated ? s.listenEndpoint : nil) { bannedEndpoints[e] = until }
            if let ip = s.remoteIP {
                let previous = strikes[ip].flatMap { now.timeIntervalSince($0.since) < configuration.banSeconds ? $0 : nil }
                let record = (count: (previous?.count ?? 0) + 1, since: previous?.since ?? now)
                strikes[ip] = record
                if record.count >= configuration.strikesPerIP { bannedHosts[ip] = until }
            }
        }
        s.send(.disconnect(why))
        s.channel.close(promise: nil)
    }

    /// Closes a connection we do not want, without holding it against the peer: its frames still
    /// in flight (an honest peer sends its auth right after its hello) are ignored.
    private func refuse(_ s: PeerSession, _ why: String?) {
        _ = s.markClosed()
        if let why { s.send(.disconnect(why)) }
        s.channel.close(promise: nil)
    }

    /// Whether a node id is banned right now.
    public func isBanned(nodeID: String) -> Bool {
        lock.withLock { (bannedIDs[nodeID] ?? .distantPast) > Date() }
    }

    /// Whether an IP address is banned right now.
    public func isBanned(host: String) -> Bool {
        lock.withLock { (bannedHosts[host] ?? .distantPast) > Date() }
    }

    var ourHello: Hello {
        Hello(version: Hello.protocolVersion, chainID: chain.chainID, genesisHash: chain.genesisHash,
              nodeKey: nodeKey.publicKey.compressed, challenge: [], listenPort: UInt64(listenPort))
    }

    /// Our head and its total difficulty.
    var ourStatus: ChainStatus {
        let head = chain.head
        return ChainStatus(headNumber: head.number, headHash: head.hash, totalDifficulty: (try? chain.totalDifficulty(head.hash)) ?? .zero)
    }

    /// Adds a peer to keep connected to (like geth's `admin_addPeer`) and dials it now.
    public func addPeer(_ endpoint: PeerEndpoint) {
        lock.withLock { known.pin(endpoint) }
        dial(endpoint)
    }

    /// Connects to an endpoint unless already connected, dialing, banned or ourselves.
    public func dial(_ endpoint: PeerEndpoint) {
        let skip = lock.withLock { () -> Bool in
            if dialing.contains(endpoint) || (bannedEndpoints[endpoint] ?? .distantPast) > Date()
                || (bannedHosts[endpoint.host] ?? .distantPast) > Date() { return true }
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
                        // Exponential backoff per endpoint, capped at a minute; a learned endpoint
                        // that keeps failing makes room for others.
                        let delay = min(60, (backoff[endpoint]?.delay ?? 0.5) * 2)
                        backoff[endpoint] = (Date().addingTimeInterval(delay), delay)
                        if delay >= 60 {
                            known.forget(endpoint)
                            if !known.pinned.contains(endpoint) { backoff[endpoint] = nil }
                        }
                    }
                }
            }
    }

    /// Once a second: top up peers from the known endpoints, resume a stalled sync, ping the rest.
    private func maintain() {
        let (count, candidates) = lock.withLock { () -> (Int, [PeerEndpoint]) in
            let now = Date()
            bannedIDs = bannedIDs.filter { $0.value > now }
            bannedEndpoints = bannedEndpoints.filter { $0.value > now }
            bannedHosts = bannedHosts.filter { $0.value > now }
            strikes = strikes.filter { now.timeIntervalSince($0.value.since) < configuration.banSeconds }
            // Inbound connections still in the handshake are not peers yet: they must not stop us dialing.
            let active = sessions.values.count { $0.phase == .ready || ($0.outbound && $0.phase != .closed) }
            let due = known.all.filter { (backoff[$0]?.next ?? .distantPast) <= now }
            return (active + dialing.count, due)
        }
        if count < configuration.targetPeers {
            for e in candidates.prefix(configuration.targetPeers - count) { dial(e) }
        }
        considerSync()
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
                refuse(s, why)
                return
            }
            s.hello = theirs
            if isBanned(nodeID: theirs.nodeKey.hex) {
                refuse(s, nil)
                return
            }
            guard let answer = try? Handshake.answer(peerChallenge: theirs.challenge, peerKey: theirs.nodeKey,
                                                     ourChallenge: s.challenge, nodeKey: nodeKey),
                  let mac = try? SessionMAC(nodeKey: nodeKey, peerKey: theirs.nodeKey, ourChallenge: s.challenge, peerChallenge: theirs.challenge) else {
                refuse(s, nil)
                return
            }
            s.phase = .awaitingAuth
            // On the event loop the auth is written at once; every frame after it carries a tag.
            s.send(.auth(signature: answer))
            s.startSealing(mac)
        case (.awaitingAuth, .auth(let signature)):
            guard let theirs = s.hello, Handshake.verify(answer: signature, ourChallenge: s.challenge, ourKey: nodeKey.publicKey.compressed,
                                                        peerChallenge: theirs.challenge, peerKey: theirs.nodeKey) else {
                misbehaved(s, "handshake signature does not bind our challenge and key to its own")
                return
            }
            s.startOpening()
            let duplicate = lock.withLock {
                sessions.values.contains { $0 !== s && $0.phase == .ready && $0.nodeID == s.nodeID }
                    || sessions.values.filter { $0.phase == .ready }.count >= configuration.maxPeers
            }
            if duplicate {
                refuse(s, "already connected or too many peers")
                return
            }
            s.phase = .ready
            if let e = s.listenEndpoint { lock.withLock { _ = known.learn(e) } }
            s.send(.status(ourStatus))
            s.askedForPeers()
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
            // A claim only: the syncer checks it against what the peer delivers.
            s.status = status
            considerSync()
        case .ping(let n):
            s.send(.pong(n))
        case .pong:
            break
        case .getPeers:
            let list = lock.withLock { sessions.values.filter { $0 !== s && $0.phase == .ready }.compactMap(\.listenEndpoint) }
            s.send(.peers(Array(list.prefix(Message.maxPeers))))
        case .peers(let list):
            guard s.takePeersAnswer() else { misbehaved(s, "peer list we did not ask for"); return }
            lock.withLock { for e in list { known.learn(e) } }
        case .getHeaders(let id, let start, let count):
            guard s.beginServing() else { misbehaved(s, "more than \(PeerSession.maxServing) requests in flight"); return }
            serveQueue.async { [self] in
                defer { s.endServing() }
                s.send(.headers(requestID: id, headers(from: start, count: count)))
            }
        case .getBodies(let id, let hashes):
            guard s.beginServing() else { misbehaved(s, "more than \(PeerSession.maxServing) requests in flight"); return }
            serveQueue.async { [self] in
                defer { s.endServing() }
                s.send(.bodies(requestID: id, bodies(for: hashes)))
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
                    // Equal difficulty per block on a dev chain; the claim is checked when the blocks arrive.
                    let ours = ourStatus.totalDifficulty
                    status.totalDifficulty = max(status.totalDifficulty, ours == .max ? ours : ours &+ .one)
                }
                s.status = status
                considerSync()
            }
        case .newBlock(let block, let td):
            // The claimed total difficulty is a hint until the block is imported (then it is replaced
            // by the real one); a peer that claims more than it delivers is passed over by the syncer.
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
                    if (try? mempool.add(tx, state: state, head: head, origin: .peer)) != nil { fresh.append(tx) }
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
            considerSync()
            return
        }
        do {
            let result = try chain.importBlock(block)
            if let td = (try? chain.totalDifficulty(block.hash)) ?? nil, s.status?.headHash == block.hash {
                s.status = ChainStatus(headNumber: block.number, headHash: block.hash, totalDifficulty: td)
            }
            if case .newHead = result { announce(block, except: s) }
        } catch let e as LocalImportFailure where e.isLocal {
            logger.info("block refused for now", metadata: ["block": "\(block.hash)", "reason": "\(e)"])
        } catch {
            misbehaved(s, "invalid block \(block.hash): \(error)")
        }
    }
}
