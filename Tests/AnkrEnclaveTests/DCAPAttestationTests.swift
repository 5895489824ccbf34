import AnkrCrypto
import AnkrDCAP
import AnkrDCAPTesting
import AnkrEnclave
import AnkrPrimitives
import AnkrTestSupport
import XCTest

/// DCAP evidence through the policy verifier, with quotes and collateral from the test PKI: a good
/// quote yields claims; each refusal has its own error.
final class DCAPAttestationTests: XCTestCase {
    static let pki = try! TestPKI(seed: 19)
    static let platform = try! pki.platform()
    static let collateral = try! pki.collateral(for: platform)
    let now = TestPKI.referenceTime
    let key = try! PrivateKey(hex: "0x" + String(repeating: "4e", count: 32))
    let userData = [UInt8](repeating: 9, count: 32)
    let mrEnclave = [UInt8](repeating: 0xA1, count: 32)
    let mrSigner = [UInt8](repeating: 0xB2, count: 32)

    var reportData: [UInt8] { Keccak256.hash(key.publicKey.compressed) + userData }

    var policy: AttestationPolicy {
        AttestationPolicy(trustedRoots: [], allowedMeasurements: [try! H256(mrEnclave)], dcapRoot: Self.pki.rootPublicKey)
    }

    func sgxEvidence(reportData: [UInt8]? = nil, mrEnclave: [UInt8]? = nil, isvSVN: UInt16 = 3, debug: Bool = false,
                     key: PublicKey? = nil) throws -> AttestationEvidence {
        let quote = try Self.platform.sgxQuote(reportData: reportData ?? self.reportData, mrEnclave: mrEnclave ?? self.mrEnclave,
                                               mrSigner: mrSigner, isvProdID: 1, isvSVN: isvSVN, debug: debug)
        return try AttestationEvidence(format: .sgxDCAP, quote: quote, enclaveKey: (key ?? self.key.publicKey).compressed)
    }

    func verify(_ evidence: AttestationEvidence, _ policy: AttestationPolicy? = nil, collateral: Collateral? = DCAPAttestationTests.collateral,
                at time: UInt64? = nil, userData: [UInt8]? = nil) throws -> AttestationClaims {
        try PolicyAttestationVerifier(policy: policy ?? self.policy).verify(evidence, now: time ?? now, expectedUserData: userData ?? self.userData,
                                                                             collateral: collateral)
    }

    func assertRefused(_ expected: AttestationError, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> AttestationClaims) {
        XCTAssertThrowsError(try body(), file: file, line: line) { XCTAssertEqual($0 as? AttestationError, expected, file: file, line: line) }
    }

    func testGoodSGXQuoteYieldsClaims() throws {
        let evidence = try sgxEvidence()
        let claims = try verify(evidence)
        XCTAssertEqual(claims.format, .sgxDCAP)
        XCTAssertEqual(claims.measurement, try H256(mrEnclave))
        XCTAssertEqual(claims.signer, try H256(mrSigner))
        XCTAssertEqual(claims.platformID, Keccak256.h256(Self.platform.ppid))
        XCTAssertEqual(claims.enclaveKey, key.publicKey)
        XCTAssertEqual(claims.teeType, .sgx)
        XCTAssertEqual(claims.tcbStatus, .upToDate)
        XCTAssertEqual(claims.isvProdID, 1)
        XCTAssertEqual(claims.isvSVN, 3)
        XCTAssertEqual(claims.timestamp, now)
        XCTAssertFalse(claims.debug)
        XCTAssertFalse(claims.pckSerial.isEmpty)
        // The wire form is [format, quote, key] and decodes back to the same evidence and report.
        let decoded = try AttestationEvidence(encoded: evidence.encoded)
        XCTAssertEqual(decoded, evidence)
        XCTAssertEqual(decoded.report.measurement, try H256(mrEnclave))
        XCTAssertEqual(try RLP.decode(evidence.encoded).listValue().count, 3)
        // An allowed signer at or above its minimum ISV SVN stands in for the exact measurement.
        var bySigner = policy
        bySigner.allowedMeasurements = []
        bySigner.allowedSigners = [AllowedSigner(mrSigner: try H256(mrSigner), minISVSVN: 3)]
        XCTAssertEqual(try verify(evidence, bySigner).measurement, try H256(mrEnclave))
        bySigner.allowedSigners = [AllowedSigner(mrSigner: try H256(mrSigner), minISVSVN: 4)]
        assertRefused(.measurementNotAllowed(try H256(mrEnclave))) { try verify(evidence, bySigner) }
    }

    func testEachRefusalHasItsOwnError() throws {
        let good = try sgxEvidence()
        assertRefused(.noCollateral) { try verify(good, collateral: nil) }
        assertRefused(.debugNotAllowed) { try verify(try sgxEvidence(debug: true)) }
        var debugAllowed = policy
        debugAllowed.allowDebug = true
        XCTAssertTrue(try verify(try sgxEvidence(debug: true), debugAllowed).debug)
        let other = [UInt8](repeating: 0xEE, count: 32)
        assertRefused(.measurementNotAllowed(try H256(other))) { try verify(try sgxEvidence(mrEnclave: other)) }
        assertRefused(.tcbStatusNotAccepted(.outOfDate)) {
            try verify(good, collateral: try Self.pki.collateral(for: Self.platform, status: .outOfDate))
        }
        var outOfDateAccepted = policy
        outOfDateAccepted.acceptedStatuses.insert(.outOfDate)
        XCTAssertEqual(try verify(good, outOfDateAccepted, collateral: try Self.pki.collateral(for: Self.platform, status: .outOfDate)).tcbStatus,
                       .outOfDate)
        // The quote binds another key than the evidence carries; or carries other user data.
        assertRefused(.keyNotBound) { try verify(try sgxEvidence(key: PrivateKey.random().publicKey)) }
        assertRefused(.keyNotBound) { try verify(try sgxEvidence(reportData: [UInt8](repeating: 0, count: 64))) }
        assertRefused(.unexpectedUserData) { try verify(good, userData: [UInt8](repeating: 1, count: 32)) }
    }

    func testForgedMutatedExpiredAndRevokedQuotesAreRejected() throws {
        let good = try sgxEvidence()
        // Forged: signed by a key the QE never certified; or chaining to another root than genesis trusts.
        let forgedQuote = try Self.platform.sgxQuote(report: TestSGXReport(reportData: reportData, mrEnclave: mrEnclave, mrSigner: mrSigner),
                                                     faults: [.quoteSignedByOtherKey])
        assertRefused(.quoteRejected(.quoteSignatureInvalid)) {
            try verify(try AttestationEvidence(format: .sgxDCAP, quote: forgedQuote, enclaveKey: key.publicKey.compressed))
        }
        var intelRoot = policy
        intelRoot.dcapRoot = QuoteVerifier.intelRootCAPublicKey
        XCTAssertThrowsError(try verify(good, intelRoot)) {
            guard case .quoteRejected? = $0 as? AttestationError else { return XCTFail("\($0)") }
        }
        // Mutated: the measurement changed after signing.
        var mutated = good
        let offset = 48 + 64  // header, then the report's MRENCLAVE
        XCTAssertEqual(Array(mutated.quote[offset..<offset + 32]), mrEnclave)
        mutated.quote[offset] ^= 1
        assertRefused(.quoteRejected(.quoteSignatureInvalid)) { try verify(mutated) }
        // Expired: the collateral's window is over.
        XCTAssertThrowsError(try verify(good, at: TestPKI.defaultNextUpdate + 1)) {
            guard case .quoteRejected? = $0 as? AttestationError else { return XCTFail("\($0)") }
        }
        // Revoked: the PCK CRL lists the platform's certificate.
        let revoking = try Self.pki.collateral(for: Self.platform, revokedPCKSerials: [Self.platform.pckSerial])
        XCTAssertThrowsError(try verify(good, collateral: revoking)) {
            guard case .quoteRejected(.certificateRevoked)? = $0 as? AttestationError else { return XCTFail("\($0)") }
        }
    }

    func testTDXQuotesAreCheckedByMRTDAndRTMRs() throws {
        let mrTD = [UInt8](repeating: 0xC7, count: 48)
        let rtmrs = (0..<4).map { [UInt8](repeating: UInt8(0xD0 + $0), count: 48) }
        let quote = try Self.platform.tdxQuote(reportData: reportData, mrTD: mrTD, rtmrs: rtmrs)
        let evidence = try AttestationEvidence(format: .tdxDCAP, quote: quote, enclaveKey: key.publicKey.compressed)
        let collateral = try Self.pki.collateral(for: Self.platform, tee: .tdx)
        var byMRTD = policy
        byMRTD.allowedMeasurements = []
        byMRTD.allowedMRTDs = [mrTD]
        let claims = try verify(evidence, byMRTD, collateral: collateral)
        XCTAssertEqual(claims.teeType, .tdx)
        XCTAssertEqual(claims.measurement, EnclaveReport.tdxMeasurement(mrTD: mrTD, rtmrs: rtmrs))
        XCTAssertEqual(claims.signer, .zero)
        byMRTD.allowedRTMRs = [rtmrs]
        XCTAssertNoThrow(try verify(evidence, byMRTD, collateral: collateral))
        byMRTD.allowedRTMRs = [[[UInt8]](repeating: [UInt8](repeating: 0, count: 48), count: 4)]
        assertRefused(.measurementNotAllowed(claims.measurement)) { try verify(evidence, byMRTD, collateral: collateral) }
        // An SGX collateral does not verify a TDX quote; an SGX quote is not tdx-dcap evidence.
        XCTAssertThrowsError(try verify(evidence, byMRTD))
        XCTAssertThrowsError(try AttestationEvidence(format: .tdxDCAP, quote: try sgxEvidence().quote, enclaveKey: key.publicKey.compressed)) {
            guard case .malformed? = $0 as? AttestationError else { return XCTFail("\($0)") }
        }
    }

    func testHostileDCAPEvidenceIsMalformedNeverATrap() throws {
        let good = try sgxEvidence()
        let encoded = good.encoded
        XCTAssertThrowsError(try AttestationEvidence(encoded: [UInt8](repeating: 0xc0, count: AttestationEvidence.maxEncodedSize + 1)))
        XCTAssertThrowsError(try AttestationEvidence(format: .sgxDCAP, quote: good.quote, enclaveKey: [2, 3]))
        XCTAssertThrowsError(try AttestationEvidence(format: .simulated, quote: good.quote, enclaveKey: key.publicKey.compressed))
        XCTAssertThrowsError(try AttestationEvidence(encoded: RLP.encode(.list([.bytes(Array("sgx-dcap".utf8)), .bytes(good.quote)]))))
        for cut in stride(from: 0, to: encoded.count, by: 97) {
            XCTAssertThrowsError(try AttestationEvidence(encoded: Array(encoded.prefix(cut))), "cut at \(cut)")
        }
        // A flipped byte is refused, or changes nothing the claims say: the copy of the root certificate
        // that ends the quote's PCK chain is not what is trusted (the pinned root key is), as in dcap-qvl.
        let claims = try verify(good)
        var rng = SplitMix64(seed: 1919)
        var refused = 0
        for _ in 0..<300 {
            var bytes = encoded
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            guard let evidence = try? AttestationEvidence(encoded: bytes), let accepted = try? verify(evidence) else {
                refused += 1
                continue
            }
            XCTAssertEqual(accepted, claims, "byte \(i)")
        }
        XCTAssertGreaterThan(refused, 250)
    }
}
