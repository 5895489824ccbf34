import AnkrDCAP
import AnkrPrimitives
import Crypto
import XCTest

/// The real SGX quote of ../shared/vectors/sgx verified at the three times of expected.json, as dcap-qvl 0.7.0 does.
final class RealQuoteTests: XCTestCase {
    private let verifier = QuoteVerifier()

    func testRealQuoteInsideTheWindowGivesDcapQvlsStatusAdvisoriesAndFields() throws {
        let v = try RealSGXVector()
        let expected = v.results[0]
        let result = try verifier.verify(quote: v.quote, collateral: v.collateral, time: try v.acceptedTime)
        XCTAssertEqual(result.teeType, .sgx)
        XCTAssertEqual(result.status.rawValue, expected["status"] as? String)
        XCTAssertEqual(result.status, .configurationAndSWHardeningNeeded)
        XCTAssertEqual(result.advisoryIDs, expected["advisory_ids"] as? [String])
        XCTAssertEqual(result.qeStatus.rawValue, expected["qe_status"] as? String)
        XCTAssertEqual(result.platformStatus.rawValue, expected["platform_status"] as? String)
        guard case .sgx(let report) = result.body else { return XCTFail("SGX quote gave \(result.body)") }
        XCTAssertEqual(report.mrEnclave.hex, expected["mr_enclave"] as? String)
        XCTAssertEqual(report.mrSigner.hex, expected["mr_signer"] as? String)
        XCTAssertEqual(report.reportData.hex, expected["report_data"] as? String)
        XCTAssertEqual(result.body.reportData, report.reportData)
        XCTAssertEqual(result.ppid.hex, expected["ppid"] as? String)
        XCTAssertEqual(result.fmspc.hex, "00a067110000")
        XCTAssertEqual(result.pckSerial.hex, "81b77732b761e98eb9b963a4abd1e5b9bf5dd8d6")
        XCTAssertTrue(result.pckIssuer.contains("Intel SGX PCK Processor CA"), result.pckIssuer)
        XCTAssertFalse(result.body.debug)
        XCTAssertEqual(report.isvProdID, 0)
        XCTAssertEqual(report.isvSVN, 0)
    }

    func testRealQuoteBeforeTheTCBInfoIssueDateIsRefusedForThatReason() throws {
        let v = try RealSGXVector()
        XCTAssertEqual(v.results[1]["rejected"] as? String, "Verification failed: TCBInfo issue date is in the future")
        let time = try v.time(1)
        XCTAssertThrowsError(try verifier.verify(quote: v.quote, collateral: v.collateral, time: time)) { error in
            XCTAssertEqual(error as? DCAPError, .collateral(.issueDateInFuture(.tcbInfo, issueDate: 1_750_330_571, time: time)))
        }
    }

    func testRealQuoteAfterTheRootCACRLExpiredIsRefusedForThatReason() throws {
        let v = try RealSGXVector()
        XCTAssertEqual(v.results[2]["rejected"] as? String,
                       "Verification failed: CrlExpired { time: UnixTime(1796526682), next_update: UnixTime(1775215317) }")
        XCTAssertThrowsError(try verifier.verify(quote: v.quote, collateral: v.collateral, time: try v.time(2))) { error in
            XCTAssertEqual(error as? DCAPError, .crlExpired(.rootCA, nextUpdate: 1_775_215_317))
        }
    }

    func testRealQuoteParsesIntoItsHeaderBodyAndSignatureData() throws {
        let v = try RealSGXVector()
        let quote = try Quote(bytes: v.quote)
        XCTAssertEqual(quote.version, 3)
        XCTAssertEqual(quote.attestationKeyType, 2)
        XCTAssertEqual(quote.teeType, .sgx)
        XCTAssertEqual(quote.qeSVN, 10)
        XCTAssertEqual(quote.pceSVN, 15)
        XCTAssertEqual(quote.qeVendorID, Quote.intelQEVendorID)
        XCTAssertEqual(quote.userData.hex, "3987622ee6968a54977c8626ef47123500000000")
        XCTAssertEqual(quote.signedBytes, Array(v.quote[0..<432]))
        let data = quote.signatureData
        XCTAssertEqual(data.signature, Array(v.quote[RealSGXVector.signature]))
        XCTAssertEqual(data.attestationKey, Array(v.quote[RealSGXVector.attestationKey]))
        XCTAssertEqual(data.qeReportBytes, Array(v.quote[RealSGXVector.qeReport]))
        XCTAssertEqual(data.qeReportSignature, Array(v.quote[RealSGXVector.qeReportSignature]))
        XCTAssertEqual(data.qeAuthData, Array(v.quote[RealSGXVector.qeAuthData]))
        XCTAssertTrue(data.pckChainPEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        XCTAssertTrue(data.pckChainPEM.hasSuffix("-----END CERTIFICATE-----\n\0"))   // Intel's QE ends it with a NUL
        guard case .sgx(let report) = quote.body else { return XCTFail("expected an SGX body") }
        XCTAssertEqual(report.cpuSVN.hex, "0b0b1a18ffff04000000000000000000")
        XCTAssertEqual(report.attributes.hex, "0500000000000000e700000000000000")
        XCTAssertEqual(report.miscSelect, 0)
    }

    func testTheVerifierTrustsOnlyItsRoot() throws {
        let v = try RealSGXVector()
        let time = try v.acceptedTime
        // The first thing the root signs is the root CA CRL.
        let other = Array(P256.Signing.PrivateKey().publicKey.x963Representation)
        XCTAssertThrowsError(try QuoteVerifier(trustedRootPublicKey: other).verify(quote: v.quote, collateral: v.collateral,
                                                                                 time: time)) { error in
            XCTAssertEqual(error as? DCAPError, .crlSignatureInvalid(.rootCA))
        }
        var notAPoint = QuoteVerifier.intelRootCAPublicKey
        notAPoint[64] ^= 1
        XCTAssertThrowsError(try QuoteVerifier(trustedRootPublicKey: notAPoint).verify(quote: v.quote, collateral: v.collateral,
                                                                                     time: time)) { error in
            XCTAssertEqual(error as? DCAPError, .trustedRootKeyInvalid)
        }
    }

    func testRealCollateralVerifiesOnItsOwn() throws {
        let v = try RealSGXVector()
        let collateral = try verifier.verify(collateral: v.collateral, time: try v.acceptedTime)
        XCTAssertEqual(collateral.teeType, .sgx)
        XCTAssertEqual(collateral.fmspc.hex, "00a067110000")
        XCTAssertEqual(collateral.tcbInfoIssueDate, 1_750_330_571)
        XCTAssertEqual(collateral.revokedPCKSerials, [])
        XCTAssertTrue(collateral.pckCRLIssuer.contains("Intel SGX PCK Processor CA"))
        XCTAssertThrowsError(try verifier.verify(collateral: v.collateral, time: try v.time(2))) { error in
            XCTAssertEqual(error as? DCAPError, .crlExpired(.rootCA, nextUpdate: 1_775_215_317))
        }
    }

    func testThePCKCRLIssuerChainServesCollateralOnItsOwnNotQuotes() throws {
        // A quote's PCK CRL is authenticated by the quote's own PCK CA, as in dcap-qvl.
        let v = try RealSGXVector()
        var collateral = v.collateral
        collateral.pckCRLIssuerChain = "not a certificate"
        XCTAssertNoThrow(try verifier.verify(quote: v.quote, collateral: collateral, time: try v.acceptedTime))
        XCTAssertThrowsError(try verifier.verify(collateral: collateral, time: try v.acceptedTime)) { error in
            XCTAssertEqual(error as? DCAPError, .chainNotPEM(.pckCRLIssuer))
        }
    }
}
