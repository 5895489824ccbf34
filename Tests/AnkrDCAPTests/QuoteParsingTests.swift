import AnkrDCAP
import AnkrTestSupport
import XCTest

/// Hostile quote layouts: every one is refused with a typed error, none traps.
final class QuoteParsingTests: XCTestCase {
    private func parseError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> DCAPError? {
        do {
            _ = try Quote(bytes: bytes)
            XCTFail("quote of \(bytes.count) bytes parsed", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func withUInt(_ bytes: [UInt8], at offset: Int, _ value: UInt32, width: Int) -> [UInt8] {
        var b = bytes
        for i in 0..<width { b[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
        return b
    }

    func testEveryTruncationOfTheRealQuoteIsRefusedWithATypedError() throws {
        let quote = try RealSGXVector().quote
        for length in 0..<quote.count {
            let expected: DCAPError
            switch length {
            case ..<48: expected = .quoteTruncated(field: .header, offset: 0, needed: 48, available: length)
            case ..<432: expected = .quoteTruncated(field: .body, offset: 48, needed: 384, available: length - 48)
            case ..<436: expected = .quoteTruncated(field: .authDataSize, offset: 432, needed: 4, available: length - 432)
            default: expected = .authDataSizeMismatch(declared: 4164, available: length - 436)
            }
            XCTAssertEqual(parseError(Array(quote.prefix(length))), expected, "length \(length)")
        }
    }

    func testAnOversizedQuoteIsRefusedUnread() {
        XCTAssertEqual(parseError([UInt8](repeating: 0, count: Quote.maximumSize + 1)),
                       .quoteTooLarge(size: Quote.maximumSize + 1, limit: Quote.maximumSize))
    }

    func testUnsupportedVersionKeyTypeTEETypeAndVendorAreRefused() throws {
        let quote = try RealSGXVector().quote
        XCTAssertEqual(parseError(withUInt(quote, at: 0, 2, width: 2)), .unsupportedQuoteVersion(2))
        XCTAssertEqual(parseError(withUInt(quote, at: 0, 6, width: 2)), .unsupportedQuoteVersion(6))
        XCTAssertEqual(parseError(withUInt(quote, at: 2, 3, width: 2)), .unsupportedAttestationKeyType(3))
        XCTAssertEqual(parseError(withUInt(quote, at: 4, 5, width: 4)), .unsupportedTEEType(5))
        XCTAssertEqual(parseError(withUInt(quote, at: 4, 0x81, width: 4)), .teeTypeNotAllowedForVersion(version: 3, teeType: .tdx))
        XCTAssertEqual(parseError(withUInt(quote, at: 0, 4, width: 2)), .teeTypeNotAllowedForVersion(version: 4, teeType: .sgx))
        var vendor = quote
        vendor[12] ^= 0xFF
        XCTAssertEqual(parseError(vendor), .unknownQEVendor(Array(vendor[12..<28])))
    }

    func testSignatureDataSizesThatDisagreeWithTheBytesAreRefused() throws {
        let quote = try RealSGXVector().quote
        XCTAssertEqual(parseError(withUInt(quote, at: 432, 4165, width: 4)), .authDataSizeMismatch(declared: 4165, available: 4164))
        XCTAssertEqual(parseError(withUInt(quote, at: 432, 0xFFFF_FFFF, width: 4)),
                       .authDataSizeMismatch(declared: 0xFFFF_FFFF, available: 4164))
        XCTAssertEqual(parseError(quote + [1]), .authDataSizeMismatch(declared: 4164, available: 4165))
        XCTAssertEqual(parseError(quote + [0, 0, 7]), .authDataSizeMismatch(declared: 4164, available: 4167))
        // Zero padding after the signature data (quoting stacks pad their buffers) is read past, not refused.
        XCTAssertEqual(try Quote(bytes: quote + [UInt8](repeating: 0, count: 70)).signedBytes, try Quote(bytes: quote).signedBytes)
    }

    func testCertificationDataLengthsPointingPastTheEndAreRefused() throws {
        let quote = try RealSGXVector().quote
        let qeAuth = RealSGXVector.qeAuthDataSize
        XCTAssertEqual(parseError(withUInt(quote, at: qeAuth, 0xFFFF, width: 2)),
                       .quoteTruncated(field: .qeAuthData, offset: qeAuth + 2, needed: 0xFFFF, available: quote.count - qeAuth - 2))
        let chain = RealSGXVector.pckChainSize
        XCTAssertEqual(parseError(withUInt(quote, at: chain, 3549, width: 4)),
                       .quoteTruncated(field: .pckChain, offset: chain + 4, needed: 3549, available: 3548))
        XCTAssertEqual(parseError(withUInt(quote, at: chain, 0xFFFF_FFFF, width: 4)),
                       .quoteTruncated(field: .pckChain, offset: chain + 4, needed: 0xFFFF_FFFF, available: 3548))
        // A shorter chain leaves unsigned bytes no one reads; the chain is judged at verification.
        XCTAssertEqual(try Quote(bytes: withUInt(quote, at: chain, 2000, width: 4)).signatureData.pckChainPEM.utf8.count, 2000)
    }

    func testCertificationDataOfAnotherTypeIsRefused() throws {
        let quote = try RealSGXVector().quote
        XCTAssertEqual(parseError(withUInt(quote, at: RealSGXVector.pckChainType, 4, width: 2)),
                       .unsupportedCertificationDataType(4, expected: 5))
        XCTAssertEqual(parseError(withUInt(quote, at: RealSGXVector.pckChainType, 6, width: 2)),
                       .unsupportedCertificationDataType(6, expected: 5))
    }

    func testRandomlyCorruptedQuotesNeverTrap() throws {
        let quote = try RealSGXVector().quote
        // The length and type fields, where a wrong value would send a careless parser out of bounds.
        let fields = [0, 1, 2, 4, 432, 433, 434, 435, RealSGXVector.qeAuthDataSize, RealSGXVector.qeAuthDataSize + 1,
                      RealSGXVector.pckChainType, RealSGXVector.pckChainSize, RealSGXVector.pckChainSize + 1,
                      RealSGXVector.pckChainSize + 2, RealSGXVector.pckChainSize + 3]
        var rng = SplitMix64(seed: 19)
        var refused = 0
        for _ in 0..<3_000 {
            var bytes = Array(quote.prefix(Int(rng.next() % UInt64(quote.count + 1))))
            for _ in 0..<3 {
                let at = fields[Int(rng.next() % UInt64(fields.count))]
                if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            if (try? Quote(bytes: bytes)) == nil { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 2_900)
    }
}
