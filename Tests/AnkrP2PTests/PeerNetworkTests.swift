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

/// Two or three in-process nodes talking over real loopback TCP.
final class PeerNetworkTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    var genesis: Genesis { Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]) }

    struct TestNode {
        let chain: Blockchain
        let mempool: Mempool
        let network: PeerNetwork
    }

    func node(bootnodes: [PeerEndpoint] = [], genesis: Genesis? = nil) throws -> TestNode {
        let g = genesis ?? self.genesis
        let chain = try Blockchain(database: ChainDatabase(), genesis: g)
        let pool = Mempool(chainID: g.chainID)
        var config = PeerNetwork.Configuration()
        config.port = 0
        config.bootnodes = bootnodes
        config.banSeconds = 30
        let net = PeerNetwork(configuration: config, chain: chain, mempool: pool, nodeKey: PrivateKey.random(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try net.start()
        return TestNode(chain: chain, mempool: pool, network: net)
    }

    func extend(_ n: TestNode, by count: Int, txs: [(Transaction, Address)] = []) throws {
        for i in 0..<count {
            let block = try n.chain.produceBlock(candidates: i == 0 ? txs : [], coinbase: .zero, timestamp: n.chain.head.timestamp + 1).block
            try n.chain.importBlock(block)
        }
    }

    func testLateJoinerSyncsThenFollowsGossip() throws {
        let a = try node()
        defer { a.network.stop() }
        let tx = try Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                            gasLimit: 21_000, to: Address([UInt8](repeating: 9, count: 20)), value: UInt256(5)).signed(with: alice)
        try extend(a, by: 450, txs: [(tx, alice.address)])
        let b = try node(bootnodes: [PeerEndpoint(host: "127.0.0.1", port: a.network.listenPort)])
        defer { b.network.stop() }
        XCTAssertTrue(waitUntil(60) { b.chain.head.hash == a.chain.head.hash }, "synced to \(b.chain.head.number) of \(a.chain.head.number)")
        XCTAssertEqual(try b.chain.state(at: b.chain.head).balance(Address([UInt8](repeating: 9, count: 20))), UInt256(5))
        XCTAssertEqual(a.network.peerCount, 1)
        XCTAssertEqual(b.network.peerCount, 1)

        // A new block on A reaches B by gossip.
        try extend(a, by: 1)
        let newest = try XCTUnwrap(a.chain.block(hash: a.chain.head.hash))
        a.network.announce(newest)
        XCTAssertTrue(waitUntil(10) { b.chain.head.hash == newest.hash })

        // A transaction entering B's pool reaches A's.
        let tx2 = try Transaction.dynamicFee(chainID: 7331, nonce: 1, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                             gasLimit: 21_000, to: alice.address, value: .one).signed(with: alice)
        try b.mempool.add(tx2, state: b.chain.state(at: b.chain.head), head: b.chain.head)
        b.network.announce([tx2])
        XCTAssertTrue(waitUntil(10) { a.mempool.transaction(tx2.hash) != nil })
    }

    func testHeavierForkWinsAcrossPeers() throws {
        let a = try node()
        defer { a.network.stop() }
        let b = try node()
        defer { b.network.stop() }
        try extend(a, by: 5)
        try extend(b, by: 8)  // heavier (more blocks at equal difficulty)
        a.network.dial(PeerEndpoint(host: "127.0.0.1", port: b.network.listenPort))
        XCTAssertTrue(waitUntil(20) { a.chain.head.hash == b.chain.head.hash })
        XCTAssertEqual(a.chain.head.number, 8)
    }

    /// A transfer mined only on our side of a partition must not live in our pool alone once a heavier
    /// chain orphans its block: the other side never saw it, and losing this node would lose it.
    func testTransactionOfAnOrphanedBlockIsGossipedAgain() throws {
        let a = try node()
        defer { a.network.stop() }
        let b = try node()
        defer { b.network.stop() }
        a.mempool.follow(a.chain)
        b.mempool.follow(b.chain)
        let tx = try Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                            gasLimit: 21_000, to: Address([UInt8](repeating: 9, count: 20)), value: UInt256(5)).signed(with: alice)
        try extend(a, by: 1, txs: [(tx, alice.address)])
        try extend(b, by: 3)  // heavier, without the transfer
        XCTAssertNil(a.mempool.transaction(tx.hash), "included, so out of A's pool")
        a.network.dial(PeerEndpoint(host: "127.0.0.1", port: b.network.listenPort))
        XCTAssertTrue(waitUntil(20) { a.chain.head.hash == b.chain.head.hash })
        XCTAssertNotNil(a.mempool.transaction(tx.hash), "the orphaned transfer is back in A's pool")
        XCTAssertTrue(waitUntil(10) { b.mempool.transaction(tx.hash) != nil }, "and reached B, which never saw it")
    }

    func testIncompatibleAndMisbehavingPeersAreDropped() throws {
        let a = try node()
        defer { a.network.stop() }
        var other = genesis
        other.chainID = 1
        let wrongChain = try node(bootnodes: [PeerEndpoint(host: "127.0.0.1", port: a.network.listenPort)], genesis: other)
        defer { wrongChain.network.stop() }
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(a.network.peerCount, 0)

        // Raw TCP: a frame declaring 1 GiB, then garbage in a well-sized frame; both get the socket closed.
        for payload in [[0x40, 0, 0, 0] as [UInt8], [0, 0, 0, 3, 0xde, 0xad, 0xbe]] {
            let fd = try connect(a.network.listenPort)
            defer { close(fd) }
            _ = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            XCTAssertTrue(waitUntil(5) { socketClosed(fd) }, "connection stays open after \(payload)")
        }
        XCTAssertEqual(a.network.peerCount, 0)
        // The node still serves well-behaved peers.
        let good = try node(bootnodes: [PeerEndpoint(host: "127.0.0.1", port: a.network.listenPort)])
        defer { good.network.stop() }
        XCTAssertTrue(waitUntil(10) { a.network.peerCount == 1 })
    }

    func connect(_ port: Int) throws -> Int32 { try loopbackSocket(port) }
}

/// Raw-socket peers that complete the real handshake, then misbehave.
final class MaliciousPeerTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))

    func network() throws -> (Blockchain, PeerNetwork) {
        let chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000))]))
        var config = PeerNetwork.Configuration()
        config.port = 0
        config.messagesPerSecond = 100
        let net = PeerNetwork(configuration: config, chain: chain, mempool: Mempool(chainID: 7331), nodeKey: PrivateKey.random(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try net.start()
        return (chain, net)
    }

    func testInvalidBlockGetsThePeerBanned() throws {
        let (chain, net) = try network()
        defer { net.stop() }
        let peer = try RawPeer(port: net.listenPort)
        XCTAssertTrue(try peer.handshake(chainID: 7331, genesis: chain.genesisHash))
        var block = try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: 1).block
        block.header.stateRoot = .zero
        peer.send(.newBlock(block, totalDifficulty: UInt256(100)))
        XCTAssertTrue(peer.closedWithin(5))
        XCTAssertTrue(net.isBanned(nodeID: peer.key.publicKey.compressed.hex))
        XCTAssertEqual(chain.head.number, 0)
        // The banned key cannot come back.
        let banned = try RawPeer(port: net.listenPort)
        guard case .hello(let theirs) = banned.receive() else { return XCTFail("no hello") }
        banned.send(.hello(Hello(version: 1, chainID: 7331, genesisHash: chain.genesisHash, nodeKey: peer.key.publicKey.compressed,
                                 challenge: [UInt8](repeating: 1, count: 32), listenPort: 0)))
        banned.send(.auth(signature: try Handshake.answer(peerChallenge: theirs.challenge, peerKey: theirs.nodeKey,
                                                          ourChallenge: [UInt8](repeating: 1, count: 32), nodeKey: peer.key)))
        XCTAssertTrue(banned.closedWithin(5))
    }

    func testFloodWrongChainAndForgedHandshakeAreRefused() throws {
        let (chain, net) = try network()
        defer { net.stop() }
        let flooder = try RawPeer(port: net.listenPort)
        XCTAssertTrue(try flooder.handshake(chainID: 7331, genesis: chain.genesisHash))
        for i in 0..<2_000 { flooder.send(.ping(UInt64(i))) }
        XCTAssertTrue(flooder.closedWithin(5))

        let wrongChain = try RawPeer(port: net.listenPort)
        XCTAssertFalse(try wrongChain.handshake(chainID: 1, genesis: chain.genesisHash))

        // Claiming someone else's node key without its private key fails the signature check.
        let forger = try RawPeer(port: net.listenPort)
        guard case .hello(let theirs) = forger.receive() else { return XCTFail("no hello") }
        let victim = PrivateKey.random()
        forger.send(.hello(Hello(version: 1, chainID: 7331, genesisHash: chain.genesisHash, nodeKey: victim.publicKey.compressed,
                                 challenge: [UInt8](repeating: 2, count: 32), listenPort: 0)))
        forger.send(.auth(signature: try Handshake.answer(peerChallenge: theirs.challenge, peerKey: theirs.nodeKey,
                                                          ourChallenge: [UInt8](repeating: 2, count: 32), nodeKey: forger.key)))
        XCTAssertTrue(forger.closedWithin(5))
        XCTAssertEqual(net.peerCount, 0)
    }
}
