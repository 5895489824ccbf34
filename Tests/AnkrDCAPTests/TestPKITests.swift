import AnkrDCAP
@testable import AnkrDCAPTesting
import AnkrPrimitives
import Foundation
import XCTest

/// The test PKI mints real-format DCAP evidence: checked here byte-wise against Intel's layout and, end to end, by an
/// independent verifier (dcap-qvl from the e2e venv) that must accept every good quote with the designed status and
/// reject every broken one.
final class TestPKITests: XCTestCase {
    private let time = TestPKI.referenceTime

    // MARK: - Keys, certificates and layout

    func testSameSeedGivesSameRootKeyAndOtherSeedsDiffer() throws {
        let first = try TestPKI(seed: 3)
        let again = try TestPKI(seed: 3)
        let other = try TestPKI(seed: 4)
        XCTAssertEqual(first.rootPublicKey.count, 65)
        XCTAssertEqual(first.rootPublicKey.first, 0x04)
        XCTAssertEqual(first.rootPublicKey, again.rootPublicKey)
        XCTAssertNotEqual(first.rootPublicKey, other.rootPublicKey)
        XCTAssertEqual(try first.platform().ppid, try again.platform().ppid)
        XCTAssertNotEqual(try first.platform(index: 0).ppid, try first.platform(index: 1).ppid)
        XCTAssertNotEqual(try first.platform(index: 0).attestationPublicKey,
                          try first.platform(index: 1).attestationPublicKey)
    }

    /// Minting a PCK certificate with the values of the real one in ../shared/vectors/sgx gives the very bytes of
    /// its SGX extension: the layout is Intel's, not an approximation of it.
    func testSGXExtensionIsByteForByteIntelsLayout() throws {
        let quote = try [UInt8](Data(contentsOf: Self.vectors.appendingPathComponent("sgx_quote")))
        let realPCK = try XCTUnwrap(Self.firstCertificateDER(inPEM: quote))
        let pki = try TestPKI(seed: 9)
        let platform = try pki.platform(
            fmspc: [0x00, 0xA0, 0x67, 0x11, 0x00, 0x00], pceID: [0, 0],
            cpuSVNComponents: [11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], pceSVN: 13,
            cpuSVN: [0x0B, 0x0B, 0x02, 0x02, 0xFF, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], sgxType: 0,
            ppid: try [UInt8](hex: "d04ec06d4e6d92dc90d0ad3cf5ee2ddf"))
        let real = try XCTUnwrap(Self.sgxExtensionValue(inDER: realPCK))
        let minted = try XCTUnwrap(Self.sgxExtensionValue(inDER: platform.pckCertificateDER))
        XCTAssertEqual(real.count, 453)
        XCTAssertEqual(minted, real)
    }

    func testSGXQuoteLayout() throws {
        let platform = try TestPKI(seed: 5).platform()
        let reportData = (0..<64).map { UInt8($0) }
        let quote = try platform.sgxQuote(reportData: reportData, mrEnclave: [UInt8](repeating: 1, count: 32),
                                          mrSigner: [UInt8](repeating: 2, count: 32), isvProdID: 0x0102, isvSVN: 7)
        XCTAssertEqual(Array(quote[0..<8]), [3, 0, 2, 0, 0, 0, 0, 0])           // v3, ECDSA-P256, SGX
        XCTAssertEqual(Array(quote[12..<28]), [0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9,
                                               0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07])
        let body = 48
        XCTAssertEqual(Array(quote[body + 64..<body + 96]), [UInt8](repeating: 1, count: 32))     // MRENCLAVE
        XCTAssertEqual(Array(quote[body + 128..<body + 160]), [UInt8](repeating: 2, count: 32))   // MRSIGNER
        XCTAssertEqual(Array(quote[body + 256..<body + 260]), [0x02, 0x01, 7, 0])                // ISV prod id, SVN
        XCTAssertEqual(Array(quote[body + 320..<body + 384]), reportData)
        XCTAssertEqual(quote[body + 48] & 0x02, 0)                                                  // not debug
        let pem = Array(platform.pckChainPEM.utf8)
        let signatureData = 64 + 64 + 384 + 64 + 2 + 32 + 2 + 4 + pem.count
        XCTAssertEqual(Array(quote[432..<436]), Self.le32(signatureData))
        XCTAssertEqual(quote.count, 436 + signatureData)
        XCTAssertEqual(Array(quote[436 + 64..<436 + 128]), platform.attestationPublicKey)
        XCTAssertEqual(Array(quote.suffix(pem.count)), pem)
        XCTAssertEqual(platform.pckChainPEM.components(separatedBy: "BEGIN CERTIFICATE").count, 4)
        let debugQuote = try platform.sgxQuote(debug: true)
        XCTAssertEqual(debugQuote[body + 48] & 0x02, 0x02)
    }

    func testTDXQuoteLayouts() throws {
        let platform = try TestPKI(seed: 5).platform()
        let mrTD = [UInt8](repeating: 0x42, count: 48)
        let v4 = try platform.tdxQuote(mrTD: mrTD)
        XCTAssertEqual(Array(v4[0..<8]), [4, 0, 2, 0, 0x81, 0, 0, 0])
        XCTAssertEqual(Array(v4[48..<64]), platform.teeTCBSVN)
        XCTAssertEqual(Array(v4[48 + 136..<48 + 184]), mrTD)
        // TD report 1.0 is 584 bytes; the certification data of type 6 follows key and signature.
        XCTAssertEqual(Array(v4[632 + 4 + 128..<632 + 4 + 130]), [6, 0])
        let td15 = TestTDReport(mrTD: mrTD, teeTCBSVN2: [UInt8](repeating: 9, count: 16))
        let v5 = try platform.tdxQuote(report: td15, version: 5)
        XCTAssertEqual(Array(v5[0..<2]), [5, 0])
        XCTAssertEqual(Array(v5[48..<54]), [3, 0, 0x88, 0x02, 0, 0])            // body type 3, 648 bytes
        XCTAssertEqual(Array(v5[54 + 584..<54 + 600]), [UInt8](repeating: 9, count: 16))
        let v5TD10 = try platform.tdxQuote(report: TestTDReport(mrTD: mrTD), version: 5)
        XCTAssertEqual(Array(v5TD10[48..<54]), [2, 0, 0x48, 0x02, 0, 0])        // body type 2, 584 bytes
    }

    func testMintingRefusesWrongArguments() throws {
        let pki = try TestPKI(seed: 5)
        let platform = try pki.platform()
        XCTAssertThrowsError(try platform.sgxQuote(reportData: [UInt8](repeating: 0, count: 63))) {
            XCTAssertEqual($0 as? TestPKIError, .wrongLength(field: "reportData", expected: 64, actual: 63))
        }
        XCTAssertThrowsError(try platform.tdxQuote(report: TestTDReport(rtmrs: [[UInt8]](repeating: [], count: 3)))) {
            XCTAssertEqual($0 as? TestPKIError, .wrongLength(field: "rtmrs (count)", expected: 4, actual: 3))
        }
        XCTAssertThrowsError(try platform.tdxQuote(report: TestTDReport(mrServiceTD: [UInt8](repeating: 0, count: 48)))) {
            XCTAssertEqual($0 as? TestPKIError, .tdReport15NeedsQuoteV5)
        }
        XCTAssertThrowsError(try platform.tdxQuote(report: TestTDReport(), version: 3)) {
            XCTAssertEqual($0 as? TestPKIError, .unsupportedTDXQuoteVersion(3))
        }
        XCTAssertThrowsError(try pki.platform(fmspc: [1, 2, 3])) {
            XCTAssertEqual($0 as? TestPKIError, .wrongLength(field: "fmspc", expected: 6, actual: 3))
        }
    }

    func testCollateralDocumentsAreSignedByTheTCBSigningKeyAndCarryTheDesignedLevels() throws {
        let pki = try TestPKI(seed: 5)
        let platform = try pki.platform()
        let collateral = try pki.collateral(for: platform, status: .outOfDate, advisoryIDs: ["INTEL-SA-00828"])
        XCTAssertTrue(collateral.tcbInfo.hasPrefix(
            "{\"id\":\"SGX\",\"version\":3,\"issueDate\":\"2026-01-01T00:00:00Z\",\"nextUpdate\":\"2026-02-01T00:00:00Z\",\"fmspc\":\"00906ED50000\""))
        XCTAssertTrue(collateral.tcbInfo.contains("\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"INTEL-SA-00828\"]"))
        XCTAssertTrue(collateral.qeIdentity.hasPrefix("{\"id\":\"QE\",\"version\":2,"))
        XCTAssertEqual(collateral.tcbInfoSignature.count, 64)
        XCTAssertEqual(collateral.tcbInfoIssuerChain, pki.tcbSigningChain)
        XCTAssertEqual(collateral.pckCRLIssuerChain, pki.pckCRLIssuerChain)
        let tdx = try pki.collateral(for: platform, tee: .tdx)
        XCTAssertTrue(tdx.tcbInfo.contains("\"tdxModuleIdentities\":[{\"id\":\"TDX_01\""))
        XCTAssertTrue(tdx.qeIdentity.hasPrefix("{\"id\":\"TD_QE\",\"version\":2,"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(TestPKI.json(of: collateral))) as? [String: String])
        XCTAssertEqual(json["tcb_info"], collateral.tcbInfo)
        XCTAssertEqual(json["pck_crl"], collateral.pckCRL.hex)
        XCTAssertEqual(Set(json.keys), ["pck_crl_issuer_chain", "root_ca_crl", "pck_crl", "tcb_info_issuer_chain",
                                        "tcb_info", "tcb_info_signature", "qe_identity_issuer_chain", "qe_identity",
                                        "qe_identity_signature"])
    }

    func testDatesAreWrittenAsIntelWritesThem() {
        XCTAssertEqual(UTCDate(unixSeconds: 0).iso8601, "1970-01-01T00:00:00Z")
        XCTAssertEqual(UTCDate(unixSeconds: 951_782_400).iso8601, "2000-02-29T00:00:00Z")
        XCTAssertEqual(UTCDate(unixSeconds: TestPKI.referenceTime).iso8601, "2026-01-15T00:00:00Z")
        XCTAssertEqual(UTCDate(unixSeconds: 1_750_809_599).iso8601, "2025-06-24T23:59:59Z")
        XCTAssertEqual(UTCDate(unixSeconds: 2_524_607_999).iso8601, "2049-12-31T23:59:59Z")
        XCTAssertEqual(UTCDate(unixSeconds: 4_107_542_400).iso8601, "2100-03-01T00:00:00Z")
    }

    // MARK: - The independent check: dcap-qvl

    /// Mints SGX and TDX evidence for every status and every way to break it, writes it (with the test root) into a
    /// directory, and has dcap-qvl 0.7.0 (`verify_with_root_ca`) verify each case: it must accept the good ones
    /// with the status, advisories, PPID and report fields designed here, and reject the broken ones.
    /// `ANKR_DCAP_TESTPKI_OUT=<dir>` keeps the minted evidence there.
    func testDcapQvlAgreesWithMintedEvidence() throws {
        let root = Self.packageRoot
        let python = root.appendingPathComponent(".venv-e2e/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw XCTSkip("no e2e venv at \(python.path) (`make test` creates it first): dcap-qvl cross-check of the test PKI skipped")
        }
        let kept = ProcessInfo.processInfo.environment["ANKR_DCAP_TESTPKI_OUT"]
        let directory = kept.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ankr-testpki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if kept == nil { try? FileManager.default.removeItem(at: directory) } }

        let cases = try TestEvidenceCase.corpus()
        var manifest: [[String: Any]] = []
        for item in cases {
            try Data(item.quote).write(to: directory.appendingPathComponent(item.name + ".quote"))
            try Data(TestPKI.json(of: item.collateral)).write(to: directory.appendingPathComponent(item.name + ".json"))
            try Data(item.rootCertificateDER).write(to: directory.appendingPathComponent(item.name + ".root.der"))
            let expect: [String: Any]
            switch item.verdict {
            case .accepted(let status, let advisoryIDs):
                expect = ["status": status.rawValue, "advisory_ids": advisoryIDs, "ppid": item.ppid.hex,
                          "report_kind": item.reportKind, "report": item.reportFields]
            case .rejected(let reason):
                expect = ["reject": reason]
            }
            manifest.append(["name": item.name, "quote": item.name + ".quote", "collateral": item.name + ".json",
                             "root": item.name + ".root.der", "time": item.time, "expect": expect])
        }
        let manifestData = try JSONSerialization.data(withJSONObject: ["cases": manifest], options: [.sortedKeys])
        try manifestData.write(to: directory.appendingPathComponent("cases.json"))

        let process = Process()
        process.executableURL = python
        process.arguments = [root.appendingPathComponent("Tests/e2e/dcap_testpki_check.py").path, directory.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        let lines = text.split(separator: "\n")
        for item in cases {
            XCTAssertTrue(lines.contains { $0.hasPrefix("ok \(item.name) (") }, "dcap-qvl disagrees on \(item.name):\n\(text)")
        }
    }

    // MARK: - Helpers

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var vectors: URL {
        if let env = ProcessInfo.processInfo.environment["ANKR_VECTORS"] {
            return URL(fileURLWithPath: env).appendingPathComponent("sgx")
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/sgx")
    }

    static func le32(_ value: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(value).littleEndian) { Array($0) }
    }

    /// The DER of the first PEM certificate in `bytes`.
    static func firstCertificateDER(inPEM bytes: [UInt8]) -> [UInt8]? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let begin = text.range(of: "-----BEGIN CERTIFICATE-----"),
              let end = text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex)
        else { return nil }
        return Data(base64Encoded: String(text[begin.upperBound..<end.lowerBound]), options: .ignoreUnknownCharacters)
            .map { [UInt8]($0) }
    }

    /// The contents of the OCTET STRING that follows the SGX extension's OID in a certificate.
    static func sgxExtensionValue(inDER der: [UInt8]) -> [UInt8]? {
        let oid: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF8, 0x4D, 0x01, 0x0D, 0x01]
        guard let start = (0...(der.count - oid.count)).first(where: { Array(der[$0..<$0 + oid.count]) == oid })
        else { return nil }
        var at = start + oid.count
        guard at + 4 <= der.count, der[at] == 0x04 else { return nil }
        at += 1
        let length: Int
        switch der[at] {
        case 0x81: length = Int(der[at + 1]); at += 2
        case 0x82: length = Int(der[at + 1]) << 8 | Int(der[at + 2]); at += 3
        case let short where short < 0x80: length = Int(short); at += 1
        default: return nil
        }
        guard at + length <= der.count else { return nil }
        return Array(der[at..<at + length])
    }
}

/// AnkrDCAP reads what the test PKI writes: its collateral JSON, and the verdict dcap-qvl reaches on every piece of
/// the corpus.
final class TestPKIQuoteVerifierTests: XCTestCase {
    func testCollateralJSONOfTheTestPKIParsesBackToTheSameCollateral() throws {
        let pki = try TestPKI(seed: 5)
        let platform = try pki.platform()
        for tee in TEEType.allCases {
            let collateral = try pki.collateral(for: platform, tee: tee, revokedPCKSerials: [platform.pckSerial])
            XCTAssertEqual(try Collateral(json: TestPKI.json(of: collateral)), collateral)
        }
    }

    func testQuoteVerifierAgreesWithTheCorpus() throws {
        for item in try TestEvidenceCase.corpus() {
            let verifier = QuoteVerifier(trustedRootPublicKey: item.rootPublicKey)
            switch item.verdict {
            case .accepted(let status, let advisoryIDs):
                do {
                    let verified = try verifier.verify(quote: item.quote, collateral: item.collateral, time: item.time)
                    XCTAssertEqual(verified.status, status, item.name)
                    XCTAssertEqual(verified.advisoryIDs, advisoryIDs, item.name)
                    XCTAssertEqual(verified.ppid, item.ppid, item.name)
                } catch {
                    XCTFail("\(item.name): rejected (\(error)), dcap-qvl accepts it with \(status.rawValue)")
                }
            case .rejected(let reason):
                XCTAssertThrowsError(try verifier.verify(quote: item.quote, collateral: item.collateral, time: item.time),
                                     "\(item.name): accepted, but \(reason)")
            }
        }
    }
}
