import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrOracle
import AnkrPrimitives
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A request must not make the relay read its own network: every non-public address is recognised in
/// every spelling, refused before any connection is made, and delivered as the requester's error;
/// the operator's flag lets a local source on 127.0.0.1 through.
final class DestinationPolicyTests: XCTestCase {
    func testEveryNonPublicAddressIsRecognisedInEveryForm() throws {
        let table: [(String, DestinationPolicy.AddressKind)] = [
            ("127.0.0.1", .loopback), ("127.255.0.9", .loopback), ("::1", .loopback),
            ("10.0.0.1", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork), ("192.168.1.1", .privateNetwork),
            ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("febf::1", .linkLocal),
            ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal),
            ("0.0.0.0", .unspecified), ("::", .unspecified), ("0.1.2.3", .reserved),
            ("100.64.0.1", .sharedAddressSpace), ("100.127.255.254", .sharedAddressSpace),
            ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast),
            ("255.255.255.255", .reserved), ("240.0.0.1", .reserved),
            // IPv6 spellings of IPv4 addresses are judged by the IPv4 address they reach.
            ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback), ("::ffff:10.0.0.1", .privateNetwork),
            ("::ffff:169.254.169.254", .linkLocal), ("::ffff:0:127.0.0.1", .loopback), ("::127.0.0.1", .loopback),
            ("64:ff9b::a9fe:a9fe", .linkLocal), ("2002:c0a8:0101::1", .privateNetwork), ("::ffff:0.0.0.0", .unspecified),
            // Public neighbours of the ranges stay public.
            ("8.8.8.8", .public), ("172.32.0.1", .public), ("172.15.255.255", .public), ("100.128.0.1", .public), ("100.63.255.255", .public),
            ("169.253.1.1", .public), ("11.0.0.1", .public), ("2606:4700:4700::1111", .public), ("::ffff:8.8.8.8", .public),
            ("2002:0808:0808::1", .public), ("fec0::1", .privateNetwork),
        ]
        for (text, kind) in table {
            let bytes = try XCTUnwrap(DestinationPolicy.literal(text), text)
            XCTAssertEqual(DestinationPolicy.kind(of: bytes), kind, text)
            XCTAssertEqual(DestinationPolicy().refusal(of: bytes), kind == .public ? nil : kind, text)
            XCTAssertNil(DestinationPolicy(allowsPrivateDestinations: true).refusal(of: bytes), text)
        }
        XCTAssertEqual(DestinationPolicy.literal("[::1]"), DestinationPolicy.literal("::1"))
        XCTAssertNil(DestinationPolicy.literal("example.com"))
        XCTAssertEqual(DestinationPolicy.kind(of: [1, 2, 3]), .reserved)
    }

    func testInternalDestinationsAreRefusedBeforeAnyConnectionIsMade() async throws {
        // A listener on 127.0.0.1 that would see any connection the refused fetches made.
        let listener = try Listener()
        defer { listener.close() }
        let port = listener.port
        let source = HTTPSDataSource(timeoutSeconds: 2, retries: 0)
        let urls = ["https://127.0.0.1:\(port)/", "https://localhost:\(port)/", "https://[::1]:\(port)/", "https://[::ffff:127.0.0.1]:\(port)/",
                    "https://127.1:\(port)/", "https://2130706433:\(port)/", "https://10.0.0.1/admin", "https://169.254.169.254/latest/meta-data/",
                    "https://[::ffff:a9fe:a9fe]/latest/meta-data/", "https://[fd00::1]/", "https://0.0.0.0:\(port)/"]
        for url in urls {
            do {
                _ = try await source.fetch(url)
                XCTFail("\(url) was fetched")
            } catch let DataSourceError.destinationNotAllowed(host, address, kind) {
                XCTAssertFalse(host.isEmpty || address.isEmpty, url)
                XCTAssertNotEqual(kind, .public, url)
            } catch {
                XCTFail("\(url): \(error) instead of a refusal")
            }
        }
        XCTAssertEqual(listener.pendingConnections(), 0, "nothing reached 127.0.0.1")
    }

    func testTheRefusalIsTheDatagramsErrorAndTheRequestersFault() async throws {
        let platform = try SimulatedPlatform(id: Keccak256.h256([4]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))
        let oracle = OracleEnclave(enclave: SimulatedEnclave(name: "ankr-oracle-v1", platform: platform), chainID: 7331,
                                   source: HTTPSDataSource(timeoutSeconds: 2, retries: 0))
        let params = try ABI.encode([.string("https://169.254.169.254/latest/meta-data/iam"), .string("/key"), .uint(UInt256(UInt64(255)))],
                                    types: [.string, .string, .uint(bits: 8)])
        let answer = try await oracle.answer(OracleRequest(id: UInt256(UInt64(5)), type: 1, params: params))
        XCTAssertEqual(answer.error, .destinationNotAllowed)
        // The requester learns that the destination was refused, not what it resolves to inside the relay's network.
        XCTAssertEqual(OracleEnclave.cause(of: answer.data), "destination not allowed: 169.254.169.254 does not resolve to a public address")
        XCTAssertTrue(answer.detail.contains("destination not allowed"), answer.detail)
        XCTAssertTrue(answer.error.isRequesterFault, "probing the relay's network is the requester's mistake")
        let datagram = OracleDatagram(chainID: 7331, contract: NOSContract.address, requestID: UInt256(UInt64(5)), paramsHash: Keccak256.h256(params),
                                      error: OracleErrorCode.destinationNotAllowed.rawValue, data: answer.data)
        XCTAssertEqual(try datagram.signer(of: answer.signature), oracle.enclave.publicKey.address)
    }

    func testALocalHTTPSSourceIsReadWhenTheOperatorAllowsPrivateDestinations() async throws {
        let server = try LocalHTTPSServer()
        defer { server.stop() }
        let url = "https://localhost:\(server.port)/price"
        // Refused by default…
        do {
            _ = try await HTTPSDataSource(caFile: server.certificate, timeoutSeconds: 5, retries: 0).fetch(url)
            XCTFail("a loopback source was read without the flag")
        } catch DataSourceError.destinationNotAllowed(_, _, .loopback) {}
        // …read with the flag: connected to the checked address, the certificate still verified for "localhost".
        let allowed = try HTTPSDataSource(caFile: server.certificate, policy: DestinationPolicy(allowsPrivateDestinations: true), timeoutSeconds: 5)
        let body = try await allowed.fetch(url)
        XCTAssertEqual(String(decoding: body, as: UTF8.self), #"{"p": 42}"#)
        // Without the test's root the certificate is refused: pinning the address did not skip verification.
        do {
            _ = try await HTTPSDataSource(policy: DestinationPolicy(allowsPrivateDestinations: true), timeoutSeconds: 5, retries: 0)
                .fetch("https://127.0.0.1:\(server.port)/price")
            XCTFail("an untrusted certificate was accepted")
        } catch DataSourceError.unavailable(let why) {
            XCTAssertTrue(why.contains("CERTIFICATE_VERIFY_FAILED"), why)
        }
    }
}

/// A TCP listener on 127.0.0.1 that never accepts, to count connection attempts.
private final class Listener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard fd >= 0, ok, fcntl(fd, F_SETFL, O_NONBLOCK) == 0 else { throw XCTSkip("cannot listen on 127.0.0.1") }
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Connections waiting in the backlog (accepted here only to count them).
    func pendingConnections() -> Int {
        var n = 0
        while true {
            let c = accept(fd, nil, nil)
            guard c >= 0 else { return n }
            Glibc.close(c)
            n += 1
        }
    }

    func close() { Glibc.close(fd) }
}

/// An HTTPS source on 127.0.0.1 (Python's http.server) with a self-signed certificate for localhost.
private final class LocalHTTPSServer {
    let process = Process()
    let certificate: String
    let port: Int
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-oracle-source-\(UUID().uuidString)")
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
        import http.server, ssl, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b'{"p": 42}'
                self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
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
        // SIGKILL: the child inherits the test runner's blocked signals, SIGTERM among them.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
