import AnkrChain
import AnkrCrypto
import AnkrP2P
import AnkrPrimitives
import AnkrTestSupport
import XCTest

final class MessageTests: XCTestCase {
    let key = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))

    func testEveryMessageRoundTrips() throws {
        let tx = try Transaction.dynamicFee(chainID: 7331, nonce: 1, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(9), gasLimit: 21_000,
                                            to: key.address, value: .one).signed(with: key)
        let genesis = try Genesis(chainID: 7331).block(state: WorldState())
        let block = Block(header: genesis.header, transactions: [tx])
        let messages: [Message] = [
            .hello(Hello(version: 1, chainID: 7331, genesisHash: genesis.hash, nodeKey: key.publicKey.compressed,
                         challenge: [UInt8](repeating: 7, count: 32), listenPort: 30333)),
            .auth(signature: [UInt8](repeating: 1, count: 65)),
            .status(ChainStatus(headNumber: 5, headHash: genesis.hash, totalDifficulty: UInt256(6))),
            .ping(9), .pong(9),
            .newBlock(block, totalDifficulty: UInt256(2)),
            .transactions([tx]),
            .getHeaders(requestID: 1, start: 10, count: 192),
            .headers(requestID: 1, [genesis.header]),
            .getBodies(requestID: 2, [genesis.hash]),
            .bodies(requestID: 2, [[tx], []]),
            .getPeers,
            .peers([PeerEndpoint(host: "127.0.0.1", port: 30334)]),
            .disconnect("bye"),
        ]
        for m in messages { XCTAssertEqual(try Message(encoded: m.encoded), m) }
    }

    func testLimitsAndMalformedInputAreRejected() {
        XCTAssertThrowsError(try Message(encoded: Message.getHeaders(requestID: 1, start: 0, count: 513).encoded))
        XCTAssertThrowsError(try Message(encoded: RLP.encode(.list([.uint(UInt64(99))])))) { XCTAssertEqual($0 as? MessageError, .unknownCode(99)) }
        XCTAssertThrowsError(try Message(encoded: RLP.encode(.list([.uint(UInt64(3))]))))
        XCTAssertThrowsError(try Message(encoded: RLP.encode(.list([.uint(UInt64(1)), .bytes([1, 2])]))))
        XCTAssertThrowsError(try Message(encoded: RLP.encode(.list([.uint(UInt64(12)), .list([.list([.bytes([0x31]), .uint(UInt64(70000))])])]))))
        var rng = SplitMix64(seed: 5)
        let seed = Message.getHeaders(requestID: 3, start: 4, count: 5).encoded
        for _ in 0..<20_000 {
            var b = seed
            b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            _ = try? Message(encoded: b)
        }
    }

    func testHandshakeProvesTheKeyAndBindsBothChallengesAndBothKeys() throws {
        let verifier = PrivateKey.random()
        let ours = [UInt8](repeating: 3, count: 32), theirs = [UInt8](repeating: 7, count: 32)
        let vk = verifier.publicKey.compressed, sk = key.publicKey.compressed
        let answer = try Handshake.answer(peerChallenge: ours, peerKey: vk, ourChallenge: theirs, nodeKey: key)
        XCTAssertTrue(Handshake.verify(answer: answer, ourChallenge: ours, ourKey: vk, peerChallenge: theirs, peerKey: sk))
        // Any other challenge, either one.
        XCTAssertFalse(Handshake.verify(answer: answer, ourChallenge: [UInt8](repeating: 4, count: 32), ourKey: vk, peerChallenge: theirs, peerKey: sk))
        XCTAssertFalse(Handshake.verify(answer: answer, ourChallenge: ours, ourKey: vk, peerChallenge: [UInt8](repeating: 8, count: 32), peerKey: sk))
        // Made for another verifier (what a relay showing its own key would get): useless to us.
        let other = PrivateKey.random()
        XCTAssertFalse(Handshake.verify(answer: answer, ourChallenge: ours, ourKey: other.publicKey.compressed, peerChallenge: theirs, peerKey: sk))
        XCTAssertFalse(Handshake.verify(answer: answer, ourChallenge: ours, ourKey: vk, peerChallenge: theirs, peerKey: other.publicKey.compressed))
        XCTAssertFalse(Handshake.verify(answer: [UInt8](repeating: 0, count: 65), ourChallenge: ours, ourKey: vk, peerChallenge: theirs, peerKey: sk))
    }

    func testTheLargestBlockOfTheGasLimitFitsInAFrame() {
        // The default gas limit's largest block fits even the default frame, so one body always fits.
        XCTAssertLessThanOrEqual(Message.maxBlockBytes(gasLimit: 30_000_000), FrameDecoder.defaultMaxFrameBytes)
        // Larger gas limits raise the frame limit with them, with room for the limit to grow.
        for gasLimit: UInt64 in [30_000_000, 60_000_000, 1_000_000_000] {
            XCTAssertGreaterThanOrEqual(Message.frameLimit(gasLimit: gasLimit), 2 * Message.maxBlockBytes(gasLimit: gasLimit))
        }
        // Absurd gas limits are computed without trapping; the frame limit stops at what a 4-byte length can say.
        XCTAssertEqual(Message.maxBlockBytes(gasLimit: .max), Int(UInt64.max / 4 + UInt64.max / 21_000 * 256 + 64 * 1024))
        XCTAssertEqual(Message.frameLimit(gasLimit: .max), Int(UInt32.max))
    }
}
