import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import XCTest

/// The enclave's answers from canned sources: every request kind, each failure with the error code
/// that decides the fees, private requests readable only by their readers, and signatures the NOS
/// contract accepts.
final class OracleEnclaveTests: XCTestCase {
    struct CannedSource: DataSource {
        let pages: [String: Result<[UInt8], DataSourceError>]
        func fetch(_ url: String) async throws -> [UInt8] {
            guard let page = pages[url] else { throw DataSourceError.status(404) }
            return try page.get()
        }
    }

    let platform = try! SimulatedPlatform(id: Keccak256.h256([3]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))

    func oracle(_ pages: [String: Result<[UInt8], DataSourceError>]) -> OracleEnclave {
        OracleEnclave(enclave: SimulatedEnclave(name: "ankr-oracle-v1", platform: platform), chainID: 7331, source: CannedSource(pages: pages))
    }

    func single(_ url: String, _ path: String, _ decimals: UInt64) throws -> [UInt8] {
        try ABI.encode([.string(url), .string(path), .uint(UInt256(decimals))], types: [.string, .string, .uint(bits: 8)])
    }

    func testEveryKindAndEveryFailureWithItsCode() async throws {
        let o = oracle([
            "https://a/p": .success(Array(#"{"p": {"usd": "-12.345"}, "t": "hi"}"#.utf8)),
            "https://b/p": .success(Array(#"{"p": {"usd": -12.3}}"#.utf8)),
            "https://c/p": .success(Array(#"{"p": {"usd": 900}}"#.utf8)),
            "https://bad/p": .success(Array(#"{"p": "#.utf8)),
            "https://down/p": .failure(.unavailable("refused")),
            "https://x/doc.xml": .success(Array("<r><i k=\"v\">one</i><i>two</i></r>".utf8)),
        ])
        func ask(_ type: UInt8, _ params: [UInt8]) async throws -> OracleAnswer {
            let a = try await o.answer(OracleRequest(id: UInt256(UInt64(9)), type: type, params: params))
            // Every answer, good or bad, is signed by the enclave over the exact datagram.
            let d = OracleDatagram(chainID: 7331, contract: NOSContract.address, requestID: UInt256(UInt64(9)), paramsHash: Keccak256.h256(params),
                                   error: a.error.rawValue, data: a.data)
            XCTAssertEqual(try d.signer(of: a.signature), o.enclave.publicKey.address)
            return a
        }
        let value = try await ask(1, try single("https://a/p", "/p/usd", 2))
        XCTAssertEqual(try ABI.decode([.int(bits: 256)], from: value.data), [.int((~UInt256(1234)) &+ .one)], "-12.345 cut to -12.34")
        let text = try await ask(1, try single("https://a/p", "/t", 255))
        XCTAssertEqual(try ABI.decode([.string], from: text.data), [.string("hi")])
        let median = try await ask(2, try ABI.encode([.array(["https://a/p", "https://b/p", "https://c/p", "https://down/p"].map { .string($0) }), .string("/p/usd"),
                                                    .uint(UInt256(1)), .uint(UInt256(2)), .uint(UInt256(100))],
                                                   types: [.array(.string), .string, .uint(bits: 8), .uint(bits: 8), .uint(bits: 16)]))
        XCTAssertEqual(try ABI.decode([.int(bits: 256), .uint(bits: 8)], from: median.data), [.int((~UInt256(123)) &+ .one), .uint(UInt256(2))],
                       "the outlier and the unreachable source are left out")
        let bulk = try await ask(3, try ABI.encode([.string("https://x/doc.xml"), .uint(UInt256(1)), .array([.string("/r/i[2]"), .string("/r/i/@k")])],
                                                   types: [.string, .uint(bits: 8), .array(.string)]))
        XCTAssertEqual(try ABI.decode([.fixedBytes(32), .array(.string)], from: bulk.data),
                       [.fixedBytes(Keccak256.hash(Array("<r><i k=\"v\">one</i><i>two</i></r>".utf8))), .array([.string("two"), .string("v")])])

        let failures: [(UInt8, [UInt8], OracleErrorCode)] = [
            (1, try single("https://bad/p", "/p", 0), .badData),
            (1, try single("https://down/p", "/p", 0), .sourceUnavailable),
            (1, try single("https://missing/p", "/p", 0), .sourceStatus),
            (1, try single("https://a/p", "/nope", 0), .pathNotFound),
            (1, try single("https://a/p", "/t", 0), .badData),
            (1, try single("https://a/p", "no-slash", 0), .invalidParams),
            (1, [1, 2, 3], .invalidParams),
            (9, try single("https://a/p", "/t", 0), .invalidParams),
            (0x81, try single("https://a/p", "/t", 0), .invalidParams),  // "private" but not encrypted to the enclave
            (2, try ABI.encode([.array([.string("https://a/p"), .string("https://c/p")]), .string("/p/usd"), .uint(.zero), .uint(UInt256(2)), .uint(UInt256(10))],
                               types: [.array(.string), .string, .uint(bits: 8), .uint(bits: 8), .uint(bits: 16)]), .noQuorum),
            (3, try ABI.encode([.string("https://x/doc.xml"), .uint(UInt256(1)), .array([.string("/r/zz")])], types: [.string, .uint(bits: 8), .array(.string)]), .pathNotFound),
        ]
        for (type, params, code) in failures {
            let a = try await ask(type, params)
            XCTAssertEqual(a.error, code, a.detail)
            // A public failure carries its cause for the requester; a private one nothing.
            if type & OracleRequestKind.privateFlag != 0 { XCTAssertEqual(a.data, []) } else { XCTAssertEqual(OracleEnclave.cause(of: a.data), a.detail) }
        }

        // 2,000 random parameter blobs: an error code every time, never a crash.
        var rng = SplitMix64(seed: 9)
        for _ in 0..<2_000 {
            var junk = try single("https://a/p", "/p/usd", 2)
            junk[Int.random(in: 0..<junk.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            _ = try await o.answer(OracleRequest(id: .one, type: UInt8.random(in: 1...3, using: &rng), params: junk))
        }
    }

    func testPrivateAnswersAreSealedToTheirReadersOnly() async throws {
        let o = oracle(["https://a/secret": .success(Array(#"{"v": 42}"#.utf8))])
        let reader = PrivateKey.random(), outsider = PrivateKey.random()
        let inner = try single("https://a/secret", "/v", 0)
        let sealed = try ECIES.encrypt(try ABI.encode([.bytes(inner), .array([.bytes(reader.publicKey.compressed)])], types: [.bytes, .array(.bytes)]),
                                       to: o.enclave.publicKey)
        XCTAssertFalse(sealed.containsSubsequence(Array("https://a/secret".utf8)))
        let a = try await o.answer(OracleRequest(id: .one, type: 0x81, params: sealed))
        XCTAssertEqual(a.error, .none)
        XCTAssertEqual(a.detail, "answered privately", "the relay's log learns nothing")
        let boxes = try XCTUnwrap(try ABI.decode([.array(.bytes)], from: a.data).first?.arrayValue?.compactMap(\.bytesValue))
        XCTAssertEqual(try ABI.decode([.int(bits: 256)], from: try ECIES.decrypt(boxes[0], with: reader)), [.int(UInt256(42))])
        XCTAssertThrowsError(try ECIES.decrypt(boxes[0], with: outsider))
        XCTAssertFalse(a.data.containsSubsequence(UInt256(42).bigEndianBytes))
    }

    func testXMLPathsAndHostileXML() throws {
        let doc = try XMLDocumentTree(parsing: Array("<a><b x=\"1\"><c>deep</c></b><b><c>second</c></b></a>".utf8))
        XCTAssertEqual(try XMLPath("/a/b[2]/c").resolve(in: doc), "second")
        XCTAssertEqual(try XMLPath("/a/b/@x").resolve(in: doc), "1")
        XCTAssertThrowsError(try XMLPath("/a/b[3]").resolve(in: doc))
        XCTAssertThrowsError(try XMLPath("/z").resolve(in: doc))
        for bad in ["", "a/b", "/a//b", "/a/b[0]", "/a/b[x]", "/a/@"] { XCTAssertThrowsError(try XMLPath(bad), "\(bad) was accepted") }
        let deep = String(repeating: "<d>", count: 100) + String(repeating: "</d>", count: 100)
        XCTAssertThrowsError(try XMLDocumentTree(parsing: Array(deep.utf8)))
        XCTAssertThrowsError(try XMLDocumentTree(parsing: Array("<a><b></a>".utf8)))
        // A name that is not UTF-8 trapped inside Foundation's parser (Fuzz/crashes/xml-path): refused before it.
        XCTAssertThrowsError(try XMLDocumentTree(parsing: [0x3c, 0xef, 0x73, 0x73, 0x3e])) { XCTAssertTrue("\($0)".contains("not UTF-8"), "\($0)") }
        XCTAssertThrowsError(try XMLDocumentTree(parsing: Array("<a b=\"".utf8) + [0xff] + Array("\"/>".utf8)))
        // A processing instruction without data: the parser called strlen on nil (Fuzz/crashes/xml-path).
        XCTAssertThrowsError(try XMLDocumentTree(parsing: Array("<?x?><a>1</a>".utf8))) { XCTAssertTrue("\($0)".contains("processing instruction"), "\($0)") }
        XCTAssertEqual(try XMLPath("/a").resolve(in: try XMLDocumentTree(parsing: Array("<?xml version=\"1.0\"?><?style x?><a>1</a>".utf8))), "1")
        let entity = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>"
        if let d = try? XMLDocumentTree(parsing: Array(entity.utf8)) { XCTAssertFalse((try? XMLPath("/a").resolve(in: d))?.contains("root:") ?? false) }
    }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
