import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Authenticated private sources: the headers and body a private request seals to the enclave, how
/// they are validated, what the enclave sends with them, and the private request whose answer is public.
final class PrivateSourceTests: XCTestCase {
    /// Records what it was asked and answers with a canned page.
    final class RecordingSource: DataSource, @unchecked Sendable {
        private let lock = NSLock()
        private var seen = [SourceRequest]()
        let page: Result<[UInt8], DataSourceError>
        init(_ page: Result<[UInt8], DataSourceError>) { self.page = page }
        var requests: [SourceRequest] { lock.withLock { seen } }
        func fetch(_ url: String) async throws -> [UInt8] { try await fetch(SourceRequest(url: url)) }
        func fetch(_ request: SourceRequest) async throws -> [UInt8] {
            lock.withLock { seen.append(request) }
            return try page.get()
        }
    }

    /// A source that only knows GETs (as tests' doubles written before headers): the protocol's default refuses headers.
    struct GetOnlySource: DataSource {
        func fetch(_ url: String) async throws -> [UInt8] { Array(#"{"v": 1}"#.utf8) }
    }

    let platform = try! SimulatedPlatform(id: Keccak256.h256([4]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))

    func single(_ url: String) throws -> [UInt8] {
        try ABI.encode([.string(url), .string("/v"), .uint(UInt256(UInt64(0)))], types: [.string, .string, .uint(bits: 8)])
    }

    func testHeadersAreValidatedAgainstInjectionAndConnectionTakeover() throws {
        let ok = try SourceHeader(line: "Authorization:   Bearer abc.def-123  ")
        XCTAssertEqual(ok.name, "Authorization")
        XCTAssertEqual(ok.value, "Bearer abc.def-123")
        XCTAssertEqual(ok.description, "Authorization: Bearer abc.def-123")
        XCTAssertEqual(try SourceHeader(line: "X-Empty:").value, "")
        for bad in ["Authorization: Bearer x\r\nHost: evil", "X-A: b\nc", "X-A: \u{0}", "X-A: caf\u{e9}", "no colon", ": no name", "Bad Name: x",
                    "Host: bank.example", "host: bank.example", "Transfer-Encoding: chunked", "Content-Length: 5", "Connection: close", "Upgrade: h2c",
                    "Content_Length: 5", "Transfer_Encoding: chunked", "X-HTTP-Method-Override: DELETE", "x_http_method: PUT",
                    "Proxy-Authorization: Basic x", "Expect: 100-continue", "TE: trailers",
                    "X-Long: " + String(repeating: "a", count: SourceHeader.maxValueBytes + 1),
                    String(repeating: "N", count: SourceHeader.maxNameBytes + 1) + ": v"] {
            XCTAssertThrowsError(try SourceHeader(line: bad), bad) { XCTAssertTrue($0 is SourceHeader.Invalid) }
        }
    }

    func testTheEnvelopeKeepsTheOldFormAndRefusesTooMuch() throws {
        let reader = PrivateKey.random().publicKey.compressed
        // Without headers or body: the two-field form old clients write and old enclaves read.
        let plain = try OraclePrivateEnvelope(params: [1, 2, 3], readers: [reader])
        XCTAssertEqual(try plain.encoded(), try ABI.encode([.bytes([1, 2, 3]), .array([.bytes(reader)])], types: [.bytes, .array(.bytes)]))
        XCTAssertEqual(try OraclePrivateEnvelope(decoding: try plain.encoded()), plain)
        let full = try OraclePrivateEnvelope(params: [9], readers: [], headers: [try SourceHeader(line: "Authorization: Bearer t")], body: Array("{}".utf8))
        XCTAssertEqual(try OraclePrivateEnvelope(decoding: try full.encoded()), full)
        XCTAssertThrowsError(try OraclePrivateEnvelope(params: [], readers: Array(repeating: reader, count: OraclePrivateEnvelope.maxReaders + 1)))
        XCTAssertThrowsError(try OraclePrivateEnvelope(params: [], readers: [], body: Array(repeating: 0, count: OraclePrivateEnvelope.maxBodyBytes + 1)))
        // A header line the client validation would refuse is refused inside the enclave too.
        let smuggled = try ABI.encode([.bytes([9]), .array([]), .array([.string("X-A: b\r\nHost: evil")]), .bytes([])],
                                      types: [.bytes, .array(.bytes), .array(.string), .bytes])
        XCTAssertThrowsError(try OraclePrivateEnvelope(decoding: smuggled)) { XCTAssertTrue($0 is OraclePrivateEnvelope.Malformed) }
        let tooMany = try ABI.encode([.bytes([9]), .array([]), .array(Array(repeating: .string("X-A: b"), count: OraclePrivateEnvelope.maxHeaders + 1)), .bytes([])],
                                     types: [.bytes, .array(.bytes), .array(.string), .bytes])
        XCTAssertThrowsError(try OraclePrivateEnvelope(decoding: tooMany))
        XCTAssertThrowsError(try OraclePrivateEnvelope(decoding: [0x01, 0x02]))
    }

    func testAnEnvelopeBoundToItsRequesterIsAnsweredOnlyForThatRequester() async throws {
        let me = PrivateKey.random().publicKey.address, thief = PrivateKey.random().publicKey.address
        let bound = try OraclePrivateEnvelope(params: [9], readers: [], headers: [try SourceHeader(line: "Authorization: Bearer t")], requester: me)
        let bytes = try bound.encoded()
        XCTAssertEqual(Array(bytes.prefix(32)), try ABI.encode([.uint(UInt256(UInt64(0xa0)))], types: [.uint(bits: 256)]), "the five-field form")
        XCTAssertEqual(try OraclePrivateEnvelope(decoding: bytes), bound)
        let source = RecordingSource(.success(Array(#"{"v": 5}"#.utf8)))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let oracle = OracleEnclave(enclave: enclave, chainID: 7331, source: source)
        let sealed = try OraclePrivateEnvelope(params: try single("https://secret.example/v"), readers: [],
                                               headers: [try SourceHeader(name: "Authorization", value: "Bearer victim")], requester: me).sealed(to: enclave.publicKey)
        // Copied out of the victim's RequestInfo log into the thief's own request: refused, and the token never reaches the source.
        let replayed = try await oracle.answer(OracleRequest(id: UInt256(UInt64(6)), type: 0x81, params: sealed, requester: thief))
        XCTAssertEqual(replayed.error, .invalidParams)
        XCTAssertEqual(replayed.data, [], "a private failure says nothing, not even whether the token works")
        let unknown = try await oracle.answer(OracleRequest(id: UInt256(UInt64(7)), type: 0x81, params: sealed))
        XCTAssertEqual(unknown.error, .invalidParams)
        XCTAssertTrue(source.requests.isEmpty)
        let mine = try await oracle.answer(OracleRequest(id: UInt256(UInt64(8)), type: 0x81, params: sealed, requester: me))
        XCTAssertEqual(mine.error, OracleErrorCode.none)
        XCTAssertEqual(source.requests.count, 1)
    }

    func testThePrivateRequestsHeadersAndBodyReachTheSourceAndNowhereElse() async throws {
        let source = RecordingSource(.success(Array(#"{"v": 77}"#.utf8)))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let oracle = OracleEnclave(enclave: enclave, chainID: 7331, source: source)
        let reader = PrivateKey.random()
        let token = "Bearer s3cr3t-t0ken-9f2c"
        let envelope = try OraclePrivateEnvelope(params: try single("https://bank.example/v"), readers: [reader.publicKey.compressed],
                                                 headers: [try SourceHeader(name: "Authorization", value: token)], body: Array(#"{"q":1}"#.utf8))
        let sealed = try envelope.sealed(to: enclave.publicKey)
        XCTAssertNil(sealed.firstRange(of: Array(token.utf8)), "the request on chain holds no token")
        let answer = try await oracle.answer(OracleRequest(id: UInt256(UInt64(1)), type: 0x81, params: sealed))
        XCTAssertEqual(answer.error, OracleErrorCode.none)
        XCTAssertEqual(source.requests, [SourceRequest(url: "https://bank.example/v", headers: [try SourceHeader(name: "Authorization", value: token)],
                                                       body: Array(#"{"q":1}"#.utf8))])
        XCTAssertEqual(source.requests.first?.method, "POST")
        // Readers given: the answer is sealed to them; the relay's detail names nothing.
        let copies = try XCTUnwrap(try ABI.decode([.array(.bytes)], from: answer.data).first?.arrayValue?.compactMap(\.bytesValue))
        XCTAssertEqual(try ABI.decode([.int(bits: 256)], from: try ECIES.decrypt(copies[0], with: reader)), [.int(UInt256(UInt64(77)))])
        XCTAssertFalse(answer.detail.contains("bank") || answer.detail.contains(token), answer.detail)
    }

    func testAPrivateRequestWithoutReadersHasAPublicAnswerAndItsFailuresStaySilent() async throws {
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let ok = OracleEnclave(enclave: enclave, chainID: 7331, source: RecordingSource(.success(Array(#"{"v": 5}"#.utf8))))
        let params = try OraclePrivateEnvelope(params: try single("https://secret.example/v"), readers: []).sealed(to: enclave.publicKey)
        let answer = try await ok.answer(OracleRequest(id: UInt256(UInt64(2)), type: 0x81, params: params))
        XCTAssertEqual(answer.error, OracleErrorCode.none)
        XCTAssertEqual(try ABI.decode([.int(bits: 256)], from: answer.data), [.int(UInt256(UInt64(5)))], "in the clear for a contract")
        // A wrong token: the bank's 401 is its own error code, and the private request's failure carries no cause.
        let denied = OracleEnclave(enclave: enclave, chainID: 7331, source: RecordingSource(.failure(.status(401))))
        let refused = try await denied.answer(OracleRequest(id: UInt256(UInt64(3)), type: 0x81, params: params))
        XCTAssertEqual(refused.error, .sourceUnauthorized)
        XCTAssertEqual(refused.data, [])
        XCTAssertFalse(refused.detail.contains("secret.example"), refused.detail)
        XCTAssertEqual(DataSourceError.status(403).code, .sourceUnauthorized)
        XCTAssertEqual(DataSourceError.status(404).code, .sourceStatus)
        XCTAssertFalse(OracleErrorCode.sourceUnauthorized.isRequesterFault)
        // A source that cannot send headers refuses rather than drop the credentials.
        let getOnly = OracleEnclave(enclave: enclave, chainID: 7331, source: GetOnlySource())
        let withToken = try OraclePrivateEnvelope(params: try single("https://secret.example/v"), readers: [],
                                                  headers: [try SourceHeader(name: "Authorization", value: "Bearer x")]).sealed(to: enclave.publicKey)
        let unsent = try await getOnly.answer(OracleRequest(id: UInt256(UInt64(4)), type: 0x81, params: withToken))
        XCTAssertEqual(unsent.error, .sourceUnavailable)
        // A smuggled header inside the sealed envelope is the requester's mistake.
        let smuggled = try ECIES.encrypt(try ABI.encode([.bytes(try single("https://s/v")), .array([]), .array([.string("X: a\r\nHost: b")]), .bytes([])],
                                                        types: [.bytes, .array(.bytes), .array(.string), .bytes]), to: enclave.publicKey)
        let mistake = try await ok.answer(OracleRequest(id: UInt256(UInt64(5)), type: 0x81, params: smuggled))
        XCTAssertEqual(mistake.error, .invalidParams)
    }

    func testHTTPSDataSourceSendsTheHeadersAndBodyAndMapsA401() async throws {
        let bank = try LocalEchoServer()
        defer { bank.stop() }
        let source = try HTTPSDataSource(caFile: bank.certificate, policy: DestinationPolicy(allowsPrivateDestinations: true), timeoutSeconds: 5, retries: 0)
        let url = "https://localhost:\(bank.port)/echo"
        let echoed = try await source.fetch(SourceRequest(url: url, headers: [try SourceHeader(name: "Authorization", value: "Bearer good"),
                                                                             try SourceHeader(name: "User-Agent", value: "bank-client/2")],
                                                           body: Array(#"{"x":1}"#.utf8)))
        let json = try OracleJSON(parsing: echoed)
        XCTAssertEqual(try JSONPointer("/method").resolve(in: json), .string("POST"))
        XCTAssertEqual(try JSONPointer("/body").resolve(in: json), .string(#"{"x":1}"#))
        XCTAssertEqual(try JSONPointer("/agent").resolve(in: json), .string("bank-client/2"), "the request's header replaces the default")
        XCTAssertEqual(try JSONPointer("/type").resolve(in: json), .string("application/json"))
        do {
            _ = try await source.fetch(SourceRequest(url: url, headers: [try SourceHeader(name: "Authorization", value: "Bearer wrong")]))
            XCTFail("a wrong token was accepted")
        } catch let e as DataSourceError {
            XCTAssertEqual(e, .status(401))
            XCTAssertEqual(e.code, .sourceUnauthorized)
        }
        let get = try OracleJSON(parsing: try await source.fetch(SourceRequest(url: url, headers: [try SourceHeader(name: "Authorization", value: "Bearer good")])))
        XCTAssertEqual(try JSONPointer("/method").resolve(in: get), .string("GET"))
    }
}

/// An HTTPS server on 127.0.0.1 that answers 401 without `Authorization: Bearer good` and otherwise
/// echoes the method, body, User-Agent and Content-Type as JSON.
private final class LocalEchoServer {
    let process = Process()
    let certificate: String
    let port: Int
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-oracle-bank-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate]
        openssl.standardError = FileHandle.nullDevice
        openssl.standardOutput = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw XCTSkip("openssl could not make a certificate") }
        let script = """
        import http.server, json, ssl, sys
        class H(http.server.BaseHTTPRequestHandler):
            def answer(self, body):
                if self.headers.get("Authorization") != "Bearer good":
                    self.send_response(401); self.send_header("Content-Length", "0"); self.end_headers(); return
                out = json.dumps({"method": self.command, "body": body.decode(), "agent": self.headers.get("User-Agent", ""),
                                  "type": self.headers.get("Content-Type", "")}).encode()
                self.send_response(200); self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out)
            def do_GET(self): self.answer(b"")
            def do_POST(self): self.answer(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            def log_message(self, *a): pass
        s = http.server.HTTPServer(("127.0.0.1", 0), H)
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[1], sys.argv[2])
        s.socket = c.wrap_socket(s.socket, server_side=True)
        print(s.server_address[1], flush=True)
        s.serve_forever()
        """
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, certificate, key]
        process.standardOutput = out
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let p = Int(line) else {
            kill(process.processIdentifier, SIGKILL)
            throw XCTSkip("python3 could not serve HTTPS")
        }
        port = p
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
