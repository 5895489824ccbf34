import AnkrDCAP
import XCTest

/// One flipped byte in each signed or bound region of the real quote, and tampered collateral, each refused by the
/// check that covers it.
final class QuoteTamperingTests: XCTestCase {
    private let verifier = QuoteVerifier()

    private func verifyError(_ quote: [UInt8], collateral: Collateral? = nil, file: StaticString = #filePath,
                             line: UInt = #line) throws -> DCAPError? {
        let v = try RealSGXVector()
        let time = try v.acceptedTime
        do {
            _ = try verifier.verify(quote: quote, collateral: collateral ?? v.collateral, time: time)
            XCTFail("tampered quote verified", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func flipped(_ offset: Int) throws -> [UInt8] {
        var q = try RealSGXVector().quote
        q[offset] ^= 0x01
        return q
    }

    func testAFlippedHeaderByteBreaksTheQuoteSignature() throws {
        XCTAssertEqual(try verifyError(try flipped(8)), .quoteSignatureInvalid)        // QE SVN
        XCTAssertEqual(try verifyError(try flipped(30)), .quoteSignatureInvalid)       // user data
    }

    func testAFlippedBodyByteBreaksTheQuoteSignature() throws {
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.body.lowerBound + 64)), .quoteSignatureInvalid)  // MRENCLAVE
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.body.upperBound - 1)), .quoteSignatureInvalid)  // report data
    }

    func testAFlippedQuoteSignatureByteIsRefused() throws {
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.signature.lowerBound + 5)), .quoteSignatureInvalid)
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.signature.upperBound - 1)), .quoteSignatureInvalid)
    }

    func testAFlippedAttestationKeyByteNoLongerMatchesTheQEReportData() throws {
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.attestationKey.lowerBound)), .qeReportDataMismatch)
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.attestationKey.upperBound - 1)), .qeReportDataMismatch)
    }

    func testAFlippedQEReportByteBreaksItsPCKSignature() throws {
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.qeReport.lowerBound + 128)), .qeReportSignatureInvalid)
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.qeReport.upperBound - 40)), .qeReportSignatureInvalid)
    }

    func testAFlippedQEReportSignatureByteIsRefused() throws {
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.qeReportSignature.lowerBound + 3)), .qeReportSignatureInvalid)
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.qeReportSignature.upperBound - 1)), .qeReportSignatureInvalid)
    }

    func testAFlippedQEAuthenticationDataByteNoLongerMatchesTheQEReportData() throws {
        XCTAssertEqual(try verifyError(try flipped(RealSGXVector.qeAuthData.lowerBound)), .qeReportDataMismatch)
    }

    func testGarbageInsteadOfThePCKChainIsRefused() throws {
        var quote = try RealSGXVector().quote
        for i in RealSGXVector.pckChain.dropLast() { quote[i] = UInt8(ascii: "A") }
        XCTAssertEqual(try verifyError(quote), .chainNotPEM(.pck))
    }

    func testBytesThatAreNotBase64InsideTheLeafAreRefusedAndBytesBetweenBlocksIgnored() throws {
        var binary = try RealSGXVector().quote
        binary[RealSGXVector.pckChain.lowerBound + 100] = 0xFF
        XCTAssertEqual(try verifyError(binary), .chainNotPEM(.pck))
        var nul = try RealSGXVector().quote
        nul[RealSGXVector.pckChain.lowerBound + 100] = 0
        XCTAssertEqual(try verifyError(nul), .chainNotPEM(.pck))
        // Between the leaf's END line and the CA's BEGIN line, as dcap-qvl's PEM parser does.
        let v = try RealSGXVector()
        var between = v.quote
        let pem = try Quote(bytes: v.quote).signatureData.pckChainPEM
        let leafEnd = try XCTUnwrap(pem.range(of: "-----END CERTIFICATE-----\n"))
        let gap = pem.utf8.distance(from: pem.startIndex, to: leafEnd.upperBound) - 1   // the newline after the leaf
        between[RealSGXVector.pckChain.lowerBound + gap] = 0x8A
        XCTAssertNoThrow(try verifier.verify(quote: between, collateral: v.collateral, time: try v.acceptedTime))
    }

    func testAFlippedCharacterInsideThePCKLeafIsRefused() throws {
        // Base64 of the leaf's signature, near the end of the first certificate.
        let v = try RealSGXVector()
        let text = Array(try Quote(bytes: v.quote).signatureData.pckChainPEM.utf8)
        let end = try XCTUnwrap(String(decoding: text, as: UTF8.self).range(of: "-----END CERTIFICATE-----"))
        let endOffset = String(decoding: text, as: UTF8.self).utf8.distance(
            from: String(decoding: text, as: UTF8.self).startIndex, to: end.lowerBound)
        var quote = v.quote
        let at = RealSGXVector.pckChain.lowerBound + endOffset - 6
        quote[at] = quote[at] == UInt8(ascii: "B") ? UInt8(ascii: "C") : UInt8(ascii: "B")
        let error = try verifyError(quote)
        XCTAssertTrue([.certificateSignatureInvalid(.pck, index: 0), .certificateMalformed(.pck, index: 0)].contains(error),
                      String(describing: error))
    }

    func testTamperedCRLsAreRefused() throws {
        let v = try RealSGXVector()
        var rootCRL = v.collateral
        rootCRL.rootCACRL[rootCRL.rootCACRL.count - 90] ^= 0x01     // the authority key id, inside the signed TBSCertList
        XCTAssertEqual(try verifyError(v.quote, collateral: rootCRL), .crlSignatureInvalid(.rootCA))
        var pckCRL = v.collateral
        pckCRL.pckCRL[40] ^= 0x01
        let error = try verifyError(v.quote, collateral: pckCRL)
        XCTAssertTrue([.crlSignatureInvalid(.pck), .crlMalformed(.pck), .crlIssuerMismatch(.pck)].contains(error),
                      String(describing: error))
        var truncated = v.collateral
        truncated.rootCACRL.removeLast()
        XCTAssertEqual(try verifyError(v.quote, collateral: truncated), .crlMalformed(.rootCA))
        var swapped = v.collateral
        swapped.pckCRL = v.collateral.rootCACRL
        XCTAssertEqual(try verifyError(v.quote, collateral: swapped), .crlIssuerMismatch(.pck))
    }

    func testCollateralChainsThatDoNotReachTheRootAreRefused() throws {
        let v = try RealSGXVector()
        var garbage = v.collateral
        garbage.tcbInfoIssuerChain = "not a certificate"
        XCTAssertEqual(try verifyError(v.quote, collateral: garbage), .chainNotPEM(.tcbInfoIssuer))
        var empty = v.collateral
        empty.qeIdentityIssuerChain = ""
        XCTAssertEqual(try verifyError(v.quote, collateral: empty), .chainNotPEM(.qeIdentityIssuer))
        // A CA chain cannot stand in for the TCB signing certificate's.
        var caChain = v.collateral
        caChain.tcbInfoIssuerChain = v.collateral.pckCRLIssuerChain
        XCTAssertEqual(try verifyError(v.quote, collateral: caChain), .leafIsCertificateAuthority(.tcbInfoIssuer))
        var wrongSignature = v.collateral
        wrongSignature.tcbInfoSignature = v.collateral.qeIdentitySignature
        XCTAssertEqual(try verifyError(v.quote, collateral: wrongSignature), .collateral(.invalidSignature(.tcbInfo)))
    }

    /// The quote with its PCK chain replaced by `pem` (and the two sizes that count it adjusted).
    private func withPCKChain(_ pem: String) throws -> [UInt8] {
        let quote = try RealSGXVector().quote
        let chain = Array(pem.utf8)
        var out = Array(quote[0..<RealSGXVector.pckChain.lowerBound]) + chain
        let authSize = UInt32(out.count - 436), chainSize = UInt32(chain.count)
        for i in 0..<4 {
            out[432 + i] = UInt8(truncatingIfNeeded: authSize >> (8 * UInt32(i)))
            out[RealSGXVector.pckChainSize + i] = UInt8(truncatingIfNeeded: chainSize >> (8 * UInt32(i)))
        }
        return out
    }

    private func pemBlocks() throws -> [String] {
        let pem = try Quote(bytes: try RealSGXVector().quote).signatureData.pckChainPEM
        return pem.components(separatedBy: "-----END CERTIFICATE-----\n").dropLast().map { $0 + "-----END CERTIFICATE-----\n" }
    }

    func testThePCKChainNeedsItsLeafAndCAButNotTheRootCertificate() throws {
        let blocks = try pemBlocks()
        XCTAssertEqual(blocks.count, 3)
        let v = try RealSGXVector()
        // The pinned key is the anchor: without the root certificate, or with a damaged one, the quote verifies (as in dcap-qvl).
        XCTAssertNoThrow(try verifier.verify(quote: try withPCKChain(blocks[0] + blocks[1]), collateral: v.collateral,
                                             time: try v.acceptedTime))
        var damagedRoot = Array(blocks[2].utf8)
        damagedRoot[200] = damagedRoot[200] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertNoThrow(try verifier.verify(quote: try withPCKChain(blocks[0] + blocks[1] + String(decoding: damagedRoot, as: UTF8.self)),
                                             collateral: v.collateral, time: try v.acceptedTime))
        XCTAssertEqual(try verifyError(try withPCKChain(blocks[0])), .chainTooShort(.pck, count: 1, needed: 2))
        XCTAssertEqual(try verifyError(try withPCKChain(blocks[1] + blocks[0])), .leafIsCertificateAuthority(.pck))
        XCTAssertEqual(try verifyError(try withPCKChain(blocks[0] + blocks[2])), .issuerMismatch(.pck, index: 0))
    }
}
