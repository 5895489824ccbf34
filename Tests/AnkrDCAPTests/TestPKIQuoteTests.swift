import AnkrDCAP
import AnkrDCAPTesting
import XCTest

/// Paths the real vector cannot reach, with evidence minted by the test PKI: TDX quotes, revoked and expired
/// certificates, CRL windows, debug enclaves.
final class TestPKIQuoteTests: XCTestCase {
    private let time = TestPKI.referenceTime

    private func verify(_ quote: [UInt8], _ collateral: Collateral, pki: TestPKI, allowDebug: Bool = false,
                        at time: UInt64 = TestPKI.referenceTime) throws(DCAPError) -> VerifiedQuote {
        try QuoteVerifier(trustedRootPublicKey: pki.rootPublicKey, allowDebug: allowDebug)
            .verify(quote: quote, collateral: collateral, time: time)
    }

    private func refusal(_ quote: [UInt8], _ collateral: Collateral, pki: TestPKI, at time: UInt64 = TestPKI.referenceTime,
                         file: StaticString = #filePath, line: UInt = #line) -> DCAPError? {
        do {
            _ = try verify(quote, collateral, pki: pki, at: time)
            XCTFail("verified", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testAnSGXQuoteOfTheTestPKIVerifiesWithItsFields() throws {
        let pki = try TestPKI(seed: 7)
        let platform = try pki.platform()
        let reportData = (0..<64).map { UInt8($0) }
        let quote = try platform.sgxQuote(reportData: reportData, isvProdID: 3, isvSVN: 9)
        let result = try verify(quote, try pki.collateral(for: platform, status: .swHardeningNeeded,
                                                          advisoryIDs: ["INTEL-SA-00615"]), pki: pki)
        XCTAssertEqual(result.teeType, .sgx)
        XCTAssertEqual(result.status, .swHardeningNeeded)
        XCTAssertEqual(result.advisoryIDs, ["INTEL-SA-00615"])
        XCTAssertEqual(result.qeStatus, .upToDate)
        XCTAssertEqual(result.ppid, platform.ppid)
        XCTAssertEqual(result.fmspc, platform.fmspc)
        XCTAssertEqual(result.pckSerial, platform.pckSerial)
        XCTAssertEqual(result.pckIssuer, platform.pckIssuer)
        guard case .sgx(let report) = result.body else { return XCTFail("expected an SGX body") }
        XCTAssertEqual(report.reportData, reportData)
        XCTAssertEqual(report.mrEnclave, [UInt8](repeating: 0xAA, count: 32))
        XCTAssertEqual(report.mrSigner, [UInt8](repeating: 0xBB, count: 32))
        XCTAssertEqual(report.isvProdID, 3)
        XCTAssertEqual(report.isvSVN, 9)
        XCTAssertFalse(report.debug)
    }

    func testTDXQuotesOfVersion4And5VerifyWithTheirTDReports() throws {
        let pki = try TestPKI(seed: 8)
        let platform = try pki.platform()
        let collateral = try pki.collateral(for: platform, tee: .tdx)
        let mrTD = [UInt8](repeating: 0x42, count: 48)
        let v4 = try verify(try platform.tdxQuote(mrTD: mrTD), collateral, pki: pki)
        XCTAssertEqual(v4.teeType, .tdx)
        XCTAssertEqual(v4.status, .upToDate)
        guard case .tdx(let report) = v4.body else { return XCTFail("expected a TD report") }
        XCTAssertEqual(report.mrTD, mrTD)
        XCTAssertEqual(report.rtmrs, (0..<4).map { [UInt8](repeating: UInt8(0xD0 + $0), count: 48) })
        XCTAssertNil(report.teeTCBSVN2)
        XCTAssertNil(report.mrServiceTD)
        XCTAssertFalse(report.debug)

        let v5 = try verify(try platform.tdxQuote(report: TestTDReport(mrTD: mrTD), version: 5), collateral, pki: pki)
        XCTAssertEqual(v5.body, v4.body)

        let td15 = TestTDReport(mrTD: mrTD, teeTCBSVN2: platform.teeTCBSVN, mrServiceTD: [UInt8](repeating: 0, count: 48))
        let v515 = try verify(try platform.tdxQuote(report: td15, version: 5), collateral, pki: pki)
        guard case .tdx(let report15) = v515.body else { return XCTFail("expected a TD report 1.5") }
        XCTAssertEqual(report15.teeTCBSVN2, platform.teeTCBSVN)
        XCTAssertEqual(report15.mrServiceTD, [UInt8](repeating: 0, count: 48))
    }

    func testEveryTruncationOfTDXQuotesIsRefused() throws {
        let pki = try TestPKI(seed: 9)
        let platform = try pki.platform()
        let td15 = TestTDReport(teeTCBSVN2: [UInt8](repeating: 1, count: 16), mrServiceTD: [UInt8](repeating: 0, count: 48))
        for quote in [try platform.tdxQuote(), try platform.tdxQuote(report: td15, version: 5)] {
            XCTAssertNoThrow(try Quote(bytes: quote))
            for length in 0..<quote.count {
                XCTAssertThrowsError(try Quote(bytes: Array(quote.prefix(length))), "length \(length)")
            }
        }
    }

    func testAVersion5BodyDescriptorMustNameATDReportOfItsSize() throws {
        let pki = try TestPKI(seed: 9)
        var quote = try pki.platform().tdxQuote(report: TestTDReport(), version: 5)
        quote[48] = 1      // body type 1: an SGX report, which TDX quotes do not carry
        XCTAssertThrowsError(try Quote(bytes: quote)) { XCTAssertEqual($0 as? DCAPError, .unsupportedBodyType(1)) }
        quote[48] = 3      // a TD report 1.5 type over a 1.0-sized body
        XCTAssertThrowsError(try Quote(bytes: quote)) {
            XCTAssertEqual($0 as? DCAPError, .bodySizeMismatch(bodyType: 3, size: 584))
        }
    }

    func testARevokedPCKCertificateIsRefused() throws {
        let pki = try TestPKI(seed: 10)
        let platform = try pki.platform()
        let collateral = try pki.collateral(for: platform, revokedPCKSerials: [platform.pckSerial])
        XCTAssertEqual(refusal(try platform.sgxQuote(), collateral, pki: pki),
                       .certificateRevoked(.pck, index: 0, serial: platform.pckSerial))
        // Another platform's certificate is not affected.
        let other = try pki.platform(index: 1)
        XCTAssertNoThrow(try verify(try other.sgxQuote(), try pki.collateral(for: other, revokedPCKSerials: [platform.pckSerial]),
                                    pki: pki))
    }

    func testARevokedPCKCAIsRefused() throws {
        let pki = try TestPKI(seed: 11)
        let platform = try pki.platform()
        var spec = TestCollateralSpec(platform: platform)
        spec.revokedCASerials = [pki.pckCASerial]
        XCTAssertEqual(refusal(try platform.sgxQuote(), try pki.collateral(spec), pki: pki),
                       .certificateRevoked(.pck, index: 1, serial: pki.pckCASerial))
    }

    func testARevokedTCBSigningCertificateIsRefused() throws {
        let pki = try TestPKI(seed: 11)
        let platform = try pki.platform()
        var spec = TestCollateralSpec(platform: platform)
        spec.revokedCASerials = [pki.tcbSigningSerial]
        XCTAssertEqual(refusal(try platform.sgxQuote(), try pki.collateral(spec), pki: pki),
                       .certificateRevoked(.tcbInfoIssuer, index: 0, serial: pki.tcbSigningSerial))
    }

    func testExpiredAndNotYetValidPCKCertificatesAreRefused() throws {
        let pki = try TestPKI(seed: 12)
        let expired = try pki.platform(pckValidity: 1_600_000_000...(time - 1))
        XCTAssertEqual(refusal(try expired.sgxQuote(), try pki.collateral(for: expired), pki: pki),
                       .certificateExpired(.pck, index: 0, notAfter: Int64(time - 1)))
        let early = try pki.platform(pckValidity: (time + 1)...2_000_000_000)
        XCTAssertEqual(refusal(try early.sgxQuote(), try pki.collateral(for: early), pki: pki),
                       .certificateNotYetValid(.pck, index: 0, notBefore: Int64(time + 1)))
    }

    func testAnExpiredPCKCAIsRefused() throws {
        let pki = try TestPKI(seed: 13, pckCAValidity: 1_600_000_000...(TestPKI.referenceTime - 1))
        let platform = try pki.platform()
        XCTAssertEqual(refusal(try platform.sgxQuote(), try pki.collateral(for: platform), pki: pki),
                       .certificateExpired(.pck, index: 1, notAfter: Int64(time - 1)))
    }

    func testCRLsOutsideTheirWindowAreRefused() throws {
        let pki = try TestPKI(seed: 14)
        let platform = try pki.platform()
        let quote = try platform.sgxQuote()
        var expired = TestCollateralSpec(platform: platform)
        expired.pckCRLNextUpdate = time - 1
        XCTAssertEqual(refusal(quote, try pki.collateral(expired), pki: pki), .crlExpired(.pck, nextUpdate: Int64(time - 1)))
        var early = TestCollateralSpec(platform: platform)
        early.pckCRLThisUpdate = time + 1
        XCTAssertEqual(refusal(quote, try pki.collateral(early), pki: pki), .crlNotYetValid(.pck, thisUpdate: Int64(time + 1)))
        var rootEarly = TestCollateralSpec(platform: platform)
        rootEarly.rootCACRLThisUpdate = time + 1
        XCTAssertEqual(refusal(quote, try pki.collateral(rootEarly), pki: pki),
                       .crlNotYetValid(.rootCA, thisUpdate: Int64(time + 1)))
    }

    func testDebugEnclavesAndTDsAreRefusedUnlessAllowed() throws {
        let pki = try TestPKI(seed: 15)
        let platform = try pki.platform()
        let sgx = try platform.sgxQuote(debug: true)
        let sgxCollateral = try pki.collateral(for: platform)
        XCTAssertEqual(refusal(sgx, sgxCollateral, pki: pki), .debugNotAllowed(.sgx))
        XCTAssertTrue(try verify(sgx, sgxCollateral, pki: pki, allowDebug: true).body.debug)
        let tdx = try platform.tdxQuote(debug: true)
        let tdxCollateral = try pki.collateral(for: platform, tee: .tdx)
        XCTAssertEqual(refusal(tdx, tdxCollateral, pki: pki), .debugNotAllowed(.tdx))
        XCTAssertTrue(try verify(tdx, tdxCollateral, pki: pki, allowDebug: true).body.debug)
    }

    func testTDAttributesOutsideProductionRulesAreRefused() throws {
        let pki = try TestPKI(seed: 16)
        let platform = try pki.platform()
        let collateral = try pki.collateral(for: platform, tee: .tdx)
        let noSEPT = try platform.tdxQuote(report: TestTDReport(tdAttributes: [0, 0, 0, 0, 0, 0, 0, 0]))
        XCTAssertEqual(refusal(noSEPT, collateral, pki: pki), .septVEDisableNotSet)
        let reserved = try platform.tdxQuote(report: TestTDReport(tdAttributes: [0x02, 0, 0, 0x10, 0, 0, 0, 0]))
        XCTAssertEqual(refusal(reserved, collateral, pki: pki), .tdAttributesReserved)
        let service = TestTDReport(teeTCBSVN2: platform.teeTCBSVN, mrServiceTD: [UInt8](repeating: 9, count: 48))
        XCTAssertEqual(refusal(try platform.tdxQuote(report: service, version: 5), collateral, pki: pki), .serviceTDNotAllowed)
    }

    func testQuotesSignedOrBoundWrongAreRefused() throws {
        let pki = try TestPKI(seed: 17)
        let platform = try pki.platform()
        let collateral = try pki.collateral(for: platform)
        let report = TestSGXReport()
        XCTAssertEqual(refusal(try platform.sgxQuote(report: report, faults: .quoteSignedByOtherKey), collateral, pki: pki),
                       .quoteSignatureInvalid)
        XCTAssertEqual(refusal(try platform.sgxQuote(report: report, faults: .qeReportSignedByOtherKey), collateral, pki: pki),
                       .qeReportSignatureInvalid)
        XCTAssertEqual(refusal(try platform.sgxQuote(report: report, faults: .qeReportDataUnbound), collateral, pki: pki),
                       .qeReportDataMismatch)
        XCTAssertEqual(refusal(try platform.sgxQuote(report: report, faults: .foreignQEVendor), collateral, pki: pki),
                       .unknownQEVendor(Array(try platform.sgxQuote(report: report, faults: .foreignQEVendor)[12..<28])))
        XCTAssertEqual(refusal(try platform.sgxQuote(report: report, faults: .p384AttestationKeyType), collateral, pki: pki),
                       .unsupportedAttestationKeyType(3))
    }

    func testAQuoteOfAnotherPKIIsRefused() throws {
        let pki = try TestPKI(seed: 18)
        let stranger = try TestPKI(seed: 19)
        let platform = try stranger.platform()
        XCTAssertEqual(refusal(try platform.sgxQuote(), try pki.collateral(for: try pki.platform()), pki: pki),
                       .untrustedRoot(.pck))
    }

    func testTheCollateralOfATestPlatformVerifiesOnItsOwnAndListsItsRevocations() throws {
        let pki = try TestPKI(seed: 20)
        let platform = try pki.platform()
        let collateral = try pki.collateral(for: platform, tee: .tdx, revokedPCKSerials: [platform.pckSerial])
        let verified = try QuoteVerifier(trustedRootPublicKey: pki.rootPublicKey).verify(collateral: collateral, time: time)
        XCTAssertEqual(verified.teeType, .tdx)
        XCTAssertEqual(verified.fmspc, platform.fmspc)
        XCTAssertEqual(verified.tcbInfoIssueDate, TestPKI.defaultIssueDate)
        XCTAssertEqual(verified.revokedPCKSerials, [platform.pckSerial])
        XCTAssertEqual(verified.pckCRLIssuer, platform.pckIssuer)
    }
}
