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

    func testHandshakeProvesTheKeyAndBindsTheChallenge() throws {
        let challenge = [UInt8](repeating: 3, count: 32)
        let answer = try Handshake.answer(peerChallenge: challenge, nodeKey: key)
        XCTAssertTrue(Handshake.verify(answer: answer, ourChallenge: challenge, peerKey: key.publicKey.compressed))
        XCTAssertFalse(Handshake.verify(answer: answer, ourChallenge: [UInt8](repeating: 4, count: 32), peerKey: key.publicKey.compressed))
        let other = PrivateKey.random()
        XCTAssertFalse(Handshake.verify(answer: answer, ourChallenge: challenge, peerKey: other.publicKey.compressed))
        XCTAssertFalse(Handshake.verify(answer: [UInt8](repeating: 0, count: 65), ourChallenge: challenge, peerKey: key.publicKey.compressed))
    }
}
