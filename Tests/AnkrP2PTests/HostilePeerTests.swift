import AnkrChain
import AnkrCrypto
import AnkrP2P
import AnkrPrimitives
import AnkrStorage
import Foundation
import Logging
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Scripted adversarial peers on 127.0.0.1: each test stages one attack a stranger can mount and
/// checks the node shrugs it off. Every script is bounded in time and stops by itself.
final class HostilePeerTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    var genesis: Genesis { Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]) }

    struct TestNode {
        let chain: Blockchain
        let network: PeerNetwork
        var endpoint: PeerEndpoint { PeerEndpoint(host: "127.0.0.1", port: network.listenPort) }
        var nodeID: String { network.nodeKey.publicKey.compressed.hex }
    }

    func node(bootnodes: [PeerEndpoint] = [], _ tweak: (inout PeerNetwork.Configuration) -> Void = { _ in }) throws -> TestNode {
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        var config = PeerNetwork.Configuration()
        config.port = 0
        config.bootnodes = bootnodes
        tweak(&config)
        let net = PeerNetwork(configuration: config, chain: chain, mempool: Mempool(chainID: 7331), nodeKey: PrivateKey.random(),
                              logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try net.start()
        return TestNode(chain: chain, network: net)
    }

    func extend(_ chain: Blockchain, by count: Int) throws {
        for _ in 0..<count {
            try chain.importBlock(try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: chain.head.timestamp + 1).block)
        }
    }

    /// A flag a script thread polls; set by the test to stop it early.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    // MARK: Finding 1 — claimed total difficulty

    func testPeersClaimingMoreChainThanTheyDeliverCannotStallSync() throws {
        let honest = try node()
        defer { honest.network.stop() }
        try extend(honest.chain, by: 100)
        let fresh = try node()
        defer { fresh.network.stop() }

        // Two liars claim the heaviest chain there can be: one answers every request with nothing,
        // the other never answers at all.
        let empty = try RawPeer(port: fresh.network.listenPort, receiveTimeout: 1)
        let silent = try RawPeer(port: fresh.network.listenPort)
        XCTAssertTrue(try empty.handshake(chainID: 7331, genesis: fresh.chain.genesisHash))
        XCTAssertTrue(try silent.handshake(chainID: 7331, genesis: fresh.chain.genesisHash))
        let claim = Message.status(ChainStatus(headNumber: 1_000_000, headHash: try H256([UInt8](repeating: 0xee, count: 32)), totalDifficulty: .max))
        silent.send(claim)
        let asked = Flag(), stop = Flag(), done = DispatchSemaphore(value: 0)
        let deadline = Date().addingTimeInterval(45)
        DispatchQueue.global().async {
            defer { done.signal() }
            empty.send(claim)
            while !stop.isSet, !empty.closedByNode, Date() < deadline {
                switch empty.receive() {
                case .getHeaders(let id, _, _):
                    asked.set()
                    empty.send(.headers(requestID: id, []))
                    empty.send(claim)
                case .getBodies(let id, _):
                    empty.send(.bodies(requestID: id, []))
                case .ping(let n):
                    empty.send(.pong(n))
                    empty.send(claim)
                default:
                    continue
                }
            }
        }
        defer {
            stop.set()
            empty.hangUp()
            done.wait()
        }
        // The silent liar may be asked first; it costs the node one request timeout (10 s).
        XCTAssertTrue(waitUntil(15) { asked.isSet }, "the node never asked the liar for headers")

        fresh.network.addPeer(honest.endpoint)
        XCTAssertTrue(waitUntil(30) { fresh.chain.head.hash == honest.chain.head.hash },
                      "stuck at \(fresh.chain.head.number) of \(honest.chain.head.number) behind the liars")
        XCTAssertFalse(fresh.network.isBanned(nodeID: honest.nodeID))
    }

    // MARK: Finding 2 — responses larger than a frame

    func testBlocksTooLargeToShareAFrameSyncWithoutBanningTheSender() throws {
        let source = try node()
        defer { source.network.stop() }
        // Two blocks of about 6.5 MiB each (zero calldata, 4 gas a byte, just under the 30M gas limit):
        // together they exceed the default 8 MiB frame.
        var nonce: UInt64 = 0
        var big: [Block] = []
        for _ in 0..<2 {
            var txs: [(Transaction, Address)] = []
            for _ in 0..<52 {
                let tx = try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                                    gasLimit: 550_000, to: Address([UInt8](repeating: 9, count: 20)), value: .zero,
                                                    data: [UInt8](repeating: 0, count: 130_000)).signed(with: alice)
                txs.append((tx, alice.address))
                nonce += 1
            }
            let built = try source.chain.produceBlock(candidates: txs, coinbase: .zero, timestamp: source.chain.head.timestamp + 1)
            let (block, rejected) = (built.block, built.rejected)
            XCTAssertTrue(rejected.isEmpty, "\(rejected)")
            XCTAssertEqual(block.transactions.count, 52)
            try source.chain.importBlock(block)
            big.append(block)
        }
        XCTAssertGreaterThan(big.map(\.encoded.count).reduce(0, +), FrameDecoder.defaultMaxFrameBytes)
        try extend(source.chain, by: 3)

        // The responder caps its answer: one big body per answer, and nothing past a block it lacks.
        let probe = try RawPeer(port: source.network.listenPort)
        XCTAssertTrue(try probe.handshake(chainID: 7331, genesis: source.chain.genesisHash))
        func bodies(_ id: UInt64, _ hashes: [H256]) -> [[Transaction]]? {
            probe.send(.getBodies(requestID: id, hashes))
            while let m = probe.receive() {
                if case .bodies(id, let b) = m { return b }
            }
            return nil
        }
        XCTAssertEqual(bodies(1, big.map(\.hash))?.map(\.count), [52])
        XCTAssertEqual(bodies(2, [big[1].hash])?.map(\.count), [52])
        XCTAssertEqual(bodies(3, [try H256([UInt8](repeating: 1, count: 32)), big[0].hash])?.count, 0)

        // A fresh node syncs past both, and keeps the sender as a peer.
        let fresh = try node(bootnodes: [source.endpoint])
        defer { fresh.network.stop() }
        XCTAssertTrue(waitUntil(90) { fresh.chain.head.hash == source.chain.head.hash },
                      "synced to \(fresh.chain.head.number) of \(source.chain.head.number)")
        XCTAssertFalse(fresh.network.isBanned(nodeID: source.nodeID))
        XCTAssertEqual(fresh.network.peerCount, 1)
    }

    // MARK: Finding 3 — admission, bans, gossip, handshake

    func testSilentSocketsDoNotStopOutboundDialing() throws {
        let target = try node()
        defer { target.network.stop() }
        let dialer = try node { $0.handshakeTimeout = 30; $0.maxInboundPerIP = 16 }
        defer { dialer.network.stop() }
        // As many silent sockets as the dialer's peer target: before the fix they counted as peers.
        let silent = try (0..<dialer.network.configuration.targetPeers).map { _ in try loopbackSocket(dialer.network.listenPort) }
        defer { silent.forEach { close($0) } }
        // A peer tells the dialer where the target is (the answer to its getPeers).
        let informer = try RawPeer(port: dialer.network.listenPort)
        XCTAssertTrue(try informer.handshake(chainID: 7331, genesis: dialer.chain.genesisHash))
        while let m = informer.receive() {
            if case .getPeers = m { break }
        }
        informer.send(.peers([target.endpoint]))
        XCTAssertTrue(waitUntil(10) { target.network.peerCount == 1 }, "the dialer never dialed out")
        XCTAssertTrue(silent.allSatisfy { !socketClosed($0) }, "the silent sockets were still in their handshake")
    }

    func testPendingHandshakesAreCappedAndTimedOut() throws {
        let target = try node { $0.maxPendingHandshakes = 4; $0.handshakeTimeout = 1.5; $0.maxInboundPerIP = 16 }
        defer { target.network.stop() }
        let silent = try (0..<10).map { _ in try loopbackSocket(target.network.listenPort) }
        defer { silent.forEach { close($0) } }
        // Past the cap, a socket is closed at once; the others when their handshake time is up.
        XCTAssertTrue(waitUntil(1) { silent.count(where: socketClosed) >= 6 }, "only \(silent.count(where: socketClosed)) closed")
        XCTAssertTrue(waitUntil(6) { silent.allSatisfy(socketClosed) }, "silent sockets outlived the handshake timeout")
        let good = try node(bootnodes: [target.endpoint])
        defer { good.network.stop() }
        XCTAssertTrue(waitUntil(10) { target.network.peerCount == 1 })
    }

    func testInboundConnectionsPerAddressAreLimited() throws {
        let target = try node { $0.maxInboundPerIP = 3 }
        defer { target.network.stop() }
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        for _ in 0..<5 {
            sockets.append(try loopbackSocket(target.network.listenPort))
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertTrue(waitUntil(3) { socketClosed(sockets[3]) && socketClosed(sockets[4]) }, "connections past the limit stay open")
        XCTAssertFalse(sockets[0..<3].contains(where: socketClosed), "connections within the limit were closed")
    }

    func testRepeatedViolationsBanTheAddressNotOnlyTheKey() throws {
        let target = try node { $0.strikesPerIP = 2 }
        defer { target.network.stop() }
        var keys: [String] = []
        for _ in 0..<2 {
            let vandal = try RawPeer(port: target.network.listenPort)
            XCTAssertTrue(try vandal.handshake(chainID: 7331, genesis: target.chain.genesisHash))
            vandal.sendRaw([0xde, 0xad])
            XCTAssertTrue(vandal.closedWithin(5))
            keys.append(vandal.key.publicKey.compressed.hex)
        }
        XCTAssertTrue(keys.allSatisfy(target.network.isBanned(nodeID:)))
        XCTAssertTrue(target.network.isBanned(host: "127.0.0.1"))
        // A fresh key from the same address gets nowhere: not even a hello.
        let fresh = try RawPeer(port: target.network.listenPort)
        XCTAssertNil(fresh.receive())
        XCTAssertEqual(target.network.peerCount, 0)
    }

    func testPeerGossipIsBoundedAndTakenOnlyWhenAsked() throws {
        let target = try node { $0.maxKnownPeers = 16; $0.targetPeers = 0 }
        defer { target.network.stop() }
        func endpoints(_ base: Int) -> [PeerEndpoint] { (0..<Message.maxPeers).map { PeerEndpoint(host: "127.0.0.1", port: base + $0) } }
        for (i, base) in [40_000, 41_000].enumerated() {
            let flooder = try RawPeer(port: target.network.listenPort)
            XCTAssertTrue(try flooder.handshake(chainID: 7331, genesis: target.chain.genesisHash))
            while let m = flooder.receive() {
                if case .getPeers = m { break }
            }
            flooder.send(.peers(endpoints(base)))
            XCTAssertTrue(waitUntil(5) { target.network.knownPeerCount == 16 }, "knows \(target.network.knownPeerCount) after flood \(i)")
            // A second list nobody asked for gets the flooder dropped.
            flooder.send(.peers(endpoints(base + 500)))
            XCTAssertTrue(flooder.closedWithin(5))
            XCTAssertEqual(target.network.knownPeerCount, 16)
        }
    }

    func testRelayedHandshakeIsRefusedAndDoesNotBanTheHonestKey() throws {
        let target = try node()
        defer { target.network.stop() }
        let honest = try node()
        defer { honest.network.stop() }
        // The relay talks to both; to the honest node it shows its own key but the target's challenge,
        // then offers the honest node's answer to the target as if it were the honest node.
        let toTarget = try RawPeer(port: target.network.listenPort)
        let toHonest = try RawPeer(port: honest.network.listenPort, key: toTarget.key)
        guard case .hello(let targetHello) = toTarget.receive(), case .hello(let honestHello) = toHonest.receive() else {
            return XCTFail("no hello")
        }
        toHonest.send(toHonest.hello(chainID: 7331, genesis: honest.chain.genesisHash, challenge: targetHello.challenge))
        guard case .auth(let honestAnswer) = toHonest.receive() else { return XCTFail("the honest node did not answer") }
        toTarget.send(toTarget.hello(chainID: 7331, genesis: target.chain.genesisHash, nodeKey: honestHello.nodeKey, challenge: honestHello.challenge))
        toTarget.send(.auth(signature: honestAnswer))
        XCTAssertTrue(toTarget.closedWithin(5), "the target accepted a relayed handshake")
        XCTAssertEqual(target.network.peerCount, 0)
        // The honest key was only claimed, never proven, so it is not banned and still gets in.
        XCTAssertFalse(target.network.isBanned(nodeID: honest.nodeID))
        target.network.addPeer(honest.endpoint)
        XCTAssertTrue(waitUntil(10) { target.network.peerCount == 1 })
    }

    func testRelayCannotInjectMessagesInAnHonestNodesName() throws {
        let target = try node()
        defer { target.network.stop() }
        let honest = try node()
        defer { honest.network.stop() }
        // A transparent relay: each node's hello and auth are handed to the other unchanged, so both
        // believe they talk to each other.
        let toTarget = try RawPeer(port: target.network.listenPort)
        let toHonest = try RawPeer(port: honest.network.listenPort)
        guard case .hello(let targetHello) = toTarget.receive(), case .hello(let honestHello) = toHonest.receive() else {
            return XCTFail("no hello")
        }
        toHonest.send(.hello(targetHello))
        toTarget.send(.hello(honestHello))
        guard case .auth(let honestAnswer) = toHonest.receive(), case .auth(let targetAnswer) = toTarget.receive() else {
            return XCTFail("no auth")
        }
        toTarget.send(.auth(signature: honestAnswer))
        toHonest.send(.auth(signature: targetAnswer))
        XCTAssertTrue(waitUntil(5) { target.network.peerCount == 1 }, "the relayed handshake itself is sound")
        // Then the relay slips an invalid block into the stream as if the honest node sent it.
        var block = try target.chain.produceBlock(candidates: [], coinbase: .zero, timestamp: 1).block
        block.header.stateRoot = .zero
        toTarget.send(.newBlock(block, totalDifficulty: UInt256(100)))
        XCTAssertTrue(toTarget.closedWithin(5), "an untagged frame was taken as the honest node's")
        XCTAssertFalse(target.network.isBanned(nodeID: honest.nodeID), "the relay got the honest key banned")
        // Once the relay lets go of the honest node too, the two connect directly.
        toHonest.hangUp()
        XCTAssertTrue(waitUntil(5) { honest.network.peerCount == 0 })
        target.network.addPeer(honest.endpoint)
        XCTAssertTrue(waitUntil(10) { target.network.peerCount == 1 })
    }

    // MARK: Arithmetic on peer-chosen numbers

    func testRequestsAtTheEndOfTheNumberSpaceAreAnsweredEmpty() throws {
        let target = try node()
        defer { target.network.stop() }
        try extend(target.chain, by: 2)
        let peer = try RawPeer(port: target.network.listenPort)
        XCTAssertTrue(try peer.handshake(chainID: 7331, genesis: target.chain.genesisHash))
        peer.send(.getHeaders(requestID: .max, start: .max, count: UInt64(Message.maxHeaders)))
        peer.send(.getHeaders(requestID: 1, start: .max - 1, count: UInt64(Message.maxHeaders)))
        var answers: [UInt64: Int] = [:]
        while answers.count < 2, let m = peer.receive() {
            if case .headers(let id, let hs) = m { answers[id] = hs.count }
        }
        XCTAssertEqual(answers, [.max: 0, 1: 0])
        // The node is still there and serves its real headers.
        peer.send(.getHeaders(requestID: 2, start: 1, count: 5))
        while let m = peer.receive() {
            if case .headers(2, let hs) = m { return XCTAssertEqual(hs.map(\.number), [1, 2]) }
        }
        XCTFail("no answer after the edge requests")
    }
}
