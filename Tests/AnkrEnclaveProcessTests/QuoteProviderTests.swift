import AnkrCrypto
import AnkrDCAP
import AnkrDCAPTesting
import AnkrEnclave
import AnkrPrimitives
import Foundation
import XCTest

/// The hardware quote backends against fakes of their file interfaces that serve test-PKI quotes
/// (no SGX or TDX hardware here): the evidence a ``DCAPEnclave`` makes through them verifies under
/// the test root, binds the enclave key and the caller's data, and every broken interface gives its own error.
final class QuoteProviderTests: XCTestCase {
    static let mrEnclave = [UInt8](repeating: 0x5e, count: 32)
    static let mrSigner = [UInt8](repeating: 0x51, count: 32)
    static let mrTD = [UInt8](repeating: 0x7d, count: 48)
    static let rtmrs = (0..<4).map { [UInt8](repeating: 0x90 + UInt8($0), count: 48) }

    var fakes: [FakeQuoteFile] = []

    override func tearDown() {
        for fake in fakes { fake.stop() }
        fakes = []
    }

    /// `<dir>/user_report_data` and a FIFO `<dir>/quote`, as Gramine's /dev/attestation has them.
    func gramine(type: String? = "dcap", mint: @escaping @Sendable ([UInt8]) throws -> [UInt8]) throws -> String {
        let dir = try SecretFile.makeTemporaryDirectory(prefix: "ankr-gramine")
        if let type { try Data(type.utf8).write(to: URL(fileURLWithPath: dir + "/attestation_type")) }
        fakes.append(try FakeQuoteFile(quotePath: dir + "/quote", inputPath: dir + "/user_report_data", mint: mint))
        return dir
    }

    /// `<tsm>/report/ankr-enclave/{inblob, outblob, generation, provider}`, as configfs-tsm makes them on mkdir.
    func tsm(provider: String = "tdx_guest", racing: Bool = false, mint: @escaping @Sendable ([UInt8]) throws -> [UInt8]) throws -> String {
        let dir = try SecretFile.makeTemporaryDirectory(prefix: "ankr-tsm")
        let entry = dir + "/report/ankr-enclave"
        try FileManager.default.createDirectory(atPath: entry, withIntermediateDirectories: true)
        try Data(provider.utf8).write(to: URL(fileURLWithPath: entry + "/provider"))
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: entry + "/generation"))
        fakes.append(try FakeQuoteFile(quotePath: entry + "/outblob", inputPath: entry + "/inblob") { input in
            // Another writer's inblob lands while our outblob is read: the generation moves on.
            if racing { try Data("2\n".utf8).write(to: URL(fileURLWithPath: entry + "/generation")) }
            return try mint(input)
        })
        return dir
    }

    func testGramineEvidenceVerifiesUnderTheTestRootAndBindsTheKey() throws {
        let pki = try TestPKI(seed: 11)
        let platform = try pki.platform()
        let dir = try gramine { try platform.sgxQuote(reportData: $0, mrEnclave: Self.mrEnclave, mrSigner: Self.mrSigner) }
        let key = PrivateKey.random()
        let enclave = try DCAPEnclave(provider: try GramineQuoteProvider(directory: dir), key: key)
        XCTAssertEqual(enclave.measurement, try H256(Self.mrEnclave))
        let userData = Keccak256.hash(Array("registration".utf8))
        let evidence = try enclave.attest(userData: userData)
        XCTAssertEqual(evidence.format, .sgxDCAP)
        XCTAssertEqual(evidence.enclaveKey, key.publicKey.compressed)
        let policy = AttestationPolicy(trustedRoots: [], allowedMeasurements: [enclave.measurement], dcapRoot: pki.rootPublicKey)
        let claims = try PolicyAttestationVerifier(policy: policy).verify(try AttestationEvidence(encoded: evidence.encoded),
                                                                          now: TestPKI.referenceTime, expectedUserData: userData,
                                                                          collateral: try pki.collateral(for: platform))
        XCTAssertEqual(claims.enclaveKey, key.publicKey)
        XCTAssertEqual(claims.measurement, enclave.measurement)
        // The same evidence names other user data than a verifier expects: refused.
        XCTAssertThrowsError(try PolicyAttestationVerifier(policy: policy).verify(evidence, now: TestPKI.referenceTime,
                                                                                  expectedUserData: Keccak256.hash([0]),
                                                                                  collateral: try pki.collateral(for: platform)))
    }

    func testTDXEvidenceVerifiesUnderTheTestRootAndBindsTheKey() throws {
        let pki = try TestPKI(seed: 12)
        let platform = try pki.platform()
        let dir = try tsm { try platform.tdxQuote(reportData: $0, mrTD: Self.mrTD, rtmrs: Self.rtmrs) }
        let key = PrivateKey.random()
        let enclave = try DCAPEnclave(provider: try TDXQuoteProvider(directory: dir), key: key)
        XCTAssertEqual(enclave.measurement, EnclaveReport.tdxMeasurement(mrTD: Self.mrTD, rtmrs: Self.rtmrs))
        let userData = Keccak256.hash(Array("td".utf8))
        let evidence = try enclave.attest(userData: userData)
        XCTAssertEqual(evidence.format, .tdxDCAP)
        let policy = AttestationPolicy(trustedRoots: [], allowedMeasurements: [enclave.measurement], dcapRoot: pki.rootPublicKey)
        let claims = try PolicyAttestationVerifier(policy: policy).verify(evidence, now: TestPKI.referenceTime, expectedUserData: userData,
                                                                          collateral: try pki.collateral(for: platform, tee: .tdx))
        XCTAssertEqual(claims.enclaveKey, key.publicKey)
    }

    func testAQuoteOverOtherReportDataIsRefused() throws {
        let pki = try TestPKI(seed: 13)
        let platform = try pki.platform()
        // A host that answers with a quote it made earlier, not over what the enclave wrote.
        let dir = try gramine { _ in try platform.sgxQuote(reportData: [UInt8](repeating: 1, count: 64)) }
        XCTAssertThrowsError(try DCAPEnclave(provider: try GramineQuoteProvider(directory: dir), key: .random())) {
            XCTAssertEqual($0 as? QuoteProviderError, .reportDataMismatch)
        }
    }

    func testBrokenGramineInterfacesGiveTheirOwnErrors() throws {
        XCTAssertThrowsError(try GramineQuoteProvider(directory: try gramine(type: "epid") { $0 })) {
            XCTAssertEqual($0 as? QuoteProviderError, .wrongAttestationType("epid"))
        }
        let echo = try GramineQuoteProvider(directory: try gramine(type: nil) { $0 })
        XCTAssertEqual(try echo.quote(reportData: [UInt8](repeating: 3, count: 64)), [UInt8](repeating: 3, count: 64))
        XCTAssertThrowsError(try echo.quote(reportData: [1, 2])) { XCTAssertEqual($0 as? QuoteProviderError, .reportDataSize(2)) }
        let huge = try GramineQuoteProvider(directory: try gramine { _ in [UInt8](repeating: 0, count: GramineQuoteProvider.maxQuoteBytes + 1) })
        XCTAssertThrowsError(try huge.quote(reportData: [UInt8](repeating: 0, count: 64))) {
            guard case .tooLarge(_, limit: GramineQuoteProvider.maxQuoteBytes)? = $0 as? QuoteProviderError else { return XCTFail("\($0)") }
        }
        let empty = try GramineQuoteProvider(directory: try gramine { _ in [] })
        XCTAssertThrowsError(try empty.quote(reportData: [UInt8](repeating: 0, count: 64))) {
            guard case .empty? = $0 as? QuoteProviderError else { return XCTFail("\($0)") }
        }
        let missing = try GramineQuoteProvider(directory: "/nonexistent/attestation")
        XCTAssertThrowsError(try missing.quote(reportData: [UInt8](repeating: 0, count: 64))) {
            XCTAssertEqual($0 as? QuoteProviderError, .unavailable(path: "/nonexistent/attestation/user_report_data", errno: ENOENT))
        }
        let garbage = try GramineQuoteProvider(directory: try gramine { _ in [UInt8](repeating: 0xee, count: 2000) })
        XCTAssertThrowsError(try DCAPEnclave(provider: garbage, key: .random())) {
            guard case .malformed? = $0 as? AttestationError else { return XCTFail("\($0)") }
        }
    }

    func testBrokenTSMInterfacesGiveTheirOwnErrors() throws {
        XCTAssertThrowsError(try TDXQuoteProvider(directory: try tsm(provider: "sev_guest") { $0 })) {
            XCTAssertEqual($0 as? QuoteProviderError, .wrongProvider("sev_guest"))
        }
        let raced = try TDXQuoteProvider(directory: try tsm(racing: true) { $0 })
        XCTAssertThrowsError(try raced.quote(reportData: [UInt8](repeating: 0, count: 64))) {
            XCTAssertEqual($0 as? QuoteProviderError, .generationChanged(before: 1, after: 2))
        }
        XCTAssertThrowsError(try TDXQuoteProvider(directory: "/nonexistent/tsm")) {
            XCTAssertEqual($0 as? QuoteProviderError, .unavailable(path: "/nonexistent/tsm/report/ankr-enclave", errno: ENOENT))
        }
        // A fresh configfs directory: the entry is made with mkdir (the fake kernel adds no files, so quoting then fails).
        let bare = try SecretFile.makeTemporaryDirectory(prefix: "ankr-tsm")
        try FileManager.default.createDirectory(atPath: bare + "/report", withIntermediateDirectories: true)
        let provider = try TDXQuoteProvider(directory: bare, entryName: "node-1")
        XCTAssertTrue(FileManager.default.fileExists(atPath: bare + "/report/node-1"))
        XCTAssertThrowsError(try provider.quote(reportData: [UInt8](repeating: 0, count: 64))) {
            XCTAssertEqual($0 as? QuoteProviderError, .unavailable(path: bare + "/report/node-1/inblob", errno: ENOENT))
        }
    }

    /// The real `ankr-enclave --backend gramine` against the fake: the node gets DCAP evidence over the socket.
    func testTheEnclaveProcessQuotesThroughGramine() throws {
        let pki = try TestPKI(seed: 14)
        let platform = try pki.platform()
        let dir = try gramine { try platform.sgxQuote(reportData: $0, mrEnclave: Self.mrEnclave, mrSigner: Self.mrSigner) }
        let process = try EnclaveProcess(backend: ["--backend", "gramine", "--attestation-dir", dir])
        defer { _ = process.terminate() }
        let remote = try RemoteEnclave(socketPath: process.socketPath)
        XCTAssertEqual(remote.measurement, try H256(Self.mrEnclave))
        let evidence = try remote.attest(userData: Keccak256.hash([9]))
        XCTAssertEqual(evidence.format, .sgxDCAP)
        let policy = AttestationPolicy(trustedRoots: [], allowedMeasurements: [remote.measurement], dcapRoot: pki.rootPublicKey)
        let claims = try PolicyAttestationVerifier(policy: policy).verify(evidence, now: TestPKI.referenceTime, expectedUserData: Keccak256.hash([9]),
                                                                          collateral: try pki.collateral(for: platform))
        XCTAssertEqual(claims.enclaveKey, remote.publicKey)
    }

    func testTheEnclaveProcessQuotesThroughTDX() throws {
        let pki = try TestPKI(seed: 15)
        let platform = try pki.platform()
        let dir = try tsm { try platform.tdxQuote(reportData: $0, mrTD: Self.mrTD, rtmrs: Self.rtmrs) }
        let process = try EnclaveProcess(backend: ["--backend", "tdx", "--attestation-dir", dir])
        defer { _ = process.terminate() }
        let remote = try RemoteEnclave(socketPath: process.socketPath)
        XCTAssertEqual(remote.measurement, EnclaveReport.tdxMeasurement(mrTD: Self.mrTD, rtmrs: Self.rtmrs))
        XCTAssertEqual(try remote.attest(userData: []).format, .tdxDCAP)
    }
}
