import AnkrCrypto
import AnkrEnclave
import AnkrOracle
import AnkrPrimitives
import XCTest

/// A failed public answer carries its cause (`abi(string)`, bounded) so the requester reads why
/// without the relay's log; a private one carries nothing; the reader refuses anything else.
final class OracleFailureCauseTests: XCTestCase {
    struct DownSource: DataSource {
        let why: String
        func fetch(_ url: String) async throws -> [UInt8] { throw DataSourceError.unavailable(why) }
    }

    func oracle(_ why: String) throws -> OracleEnclave {
        let platform = try SimulatedPlatform(id: Keccak256.h256([5]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))
        return OracleEnclave(enclave: SimulatedEnclave(name: "ankr-oracle-v1", platform: platform), chainID: 7331, source: DownSource(why: why))
    }

    func params(_ url: String) throws -> [UInt8] {
        try ABI.encode([.string(url), .string("/p"), .uint(.zero)], types: [.string, .string, .uint(bits: 8)])
    }

    func testAnUnreachableSourcesCauseReachesTheAnswer() async throws {
        let o = try oracle("DNS lookup of price.example failed")
        let a = try await o.answer(OracleRequest(id: .one, type: 1, params: try params("https://price.example/p")))
        XCTAssertEqual(a.error, .sourceUnavailable)
        XCTAssertEqual(OracleEnclave.cause(of: a.data), "the source is unreachable: DNS lookup of price.example failed")
        let datagram = OracleDatagram(chainID: 7331, contract: NOSContract.address, requestID: .one, paramsHash: a.paramsHash,
                                      error: a.error.rawValue, data: a.data)
        XCTAssertEqual(try datagram.signer(of: a.signature), o.enclave.publicKey.address, "the cause is signed with the answer")
    }

    func testASourcesLineFeedsCannotForgeRelayLogLines() async throws {
        let o = try oracle("boom\nlevel=notice message=\"delivered\" request=99\r\n" + String(repeating: "x", count: 2_000))
        let a = try await o.answer(OracleRequest(id: .one, type: 1, params: try params("https://price.example/p")))
        XCTAssertFalse(a.detail.contains("\n") || a.detail.contains("\r"), a.detail)
        XCTAssertTrue(a.detail.contains("boom?level=notice"))
        XCTAssertLessThanOrEqual(a.detail.count, OracleEnclave.maxDetailCharacters + 1)
    }

    func testAPrivateFailureCarriesNoCause() async throws {
        let o = try oracle("secret-host.internal refused")
        let sealed = try ECIES.encrypt(try ABI.encode([.bytes(try params("https://secret-host.internal/p")), .array([.bytes(PrivateKey.random().publicKey.compressed)])],
                                                      types: [.bytes, .array(.bytes)]), to: o.enclave.publicKey)
        let a = try await o.answer(OracleRequest(id: .one, type: 0x81, params: sealed))
        XCTAssertEqual(a.error, .sourceUnavailable)
        XCTAssertEqual(a.data, [])
    }

    func testALongCauseIsCutAtACharacterBoundary() async throws {
        let o = try oracle(String(repeating: "é", count: 400))
        let a = try await o.answer(OracleRequest(id: .one, type: 1, params: try params("https://a/p")))
        let cause = try XCTUnwrap(OracleEnclave.cause(of: a.data))
        XCTAssertLessThanOrEqual(cause.utf8.count, OracleEnclave.maxCauseBytes)
        XCTAssertGreaterThan(cause.utf8.count, OracleEnclave.maxCauseBytes - 2)
        XCTAssertTrue(cause.hasPrefix("the source is unreachable: éé"))
        XCTAssertTrue(cause.hasSuffix("é"), "no half character at the cut")
    }

    func testTheCauseReaderRefusesWhatIsNotABoundedString() throws {
        XCTAssertNil(OracleEnclave.cause(of: []))
        XCTAssertNil(OracleEnclave.cause(of: [1, 2, 3]))
        let good = try ABI.encode([.string("busy")], types: [.string])
        XCTAssertEqual(OracleEnclave.cause(of: good), "busy")
        XCTAssertNil(OracleEnclave.cause(of: Array(good.dropLast(1))), "truncated")
        var flipped = good
        flipped[63] = 0xff  // a length past the data
        XCTAssertNil(OracleEnclave.cause(of: flipped))
        let oversized = try ABI.encode([.string(String(repeating: "x", count: OracleEnclave.maxCauseBytes + 1))], types: [.string])
        XCTAssertNil(OracleEnclave.cause(of: oversized), "longer than any cause the enclave writes")
        XCTAssertNil(OracleEnclave.cause(of: try ABI.encode([.uint(UInt256(7))], types: [.uint(bits: 256)])), "a number is no cause")
    }
}
