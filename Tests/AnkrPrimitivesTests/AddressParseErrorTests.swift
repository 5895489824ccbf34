import AnkrPrimitives
import XCTest

/// What a refused address says: a wrong EIP-55 checksum is named as such, with the address as it
/// should have been written; a wrong length or a non-hex digit says that instead.
final class AddressParseErrorTests: XCTestCase {
    let good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

    func error(_ text: String) -> Address.ParseError? {
        do { _ = try Address(hex: text); return nil } catch { return error as? Address.ParseError }
    }

    func testAWrongChecksumNamesTheChecksummedAddress() {
        let wrong = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"  // the last letter's case flipped
        XCTAssertEqual(error(wrong), .badChecksum(wrong, checksummed: good))
        XCTAssertEqual(error(wrong)?.description,
                       "address \(wrong) has a wrong EIP-55 checksum (mistyped, or its letters' case changed); if its digits are right, it is \(good)")
    }

    func testEverySingleFlippedCaseIsRefusedWithTheSameCorrection() {
        for (i, c) in good.enumerated() where i >= 2 && c.isLetter {
            var chars = Array(good)
            chars[i] = Character(c.isUppercase ? c.lowercased() : c.uppercased())
            let flipped = String(chars)
            XCTAssertEqual(error(flipped), .badChecksum(flipped, checksummed: good), flipped)
        }
    }

    func testOneCaseIsNoChecksumAndIsAccepted() throws {
        XCTAssertEqual(try Address(hex: good.lowercased()).checksummed, good)
        XCTAssertEqual(try Address(hex: "0x" + good.dropFirst(2).uppercased()).checksummed, good)
    }

    func testWrongLengthsAndDigitsAreNotCalledChecksumErrors() {
        XCTAssertEqual(error("0x46"), .hex(.wrongLength(expected: 20, actual: 1)))
        XCTAssertEqual(error(good + "00"), .hex(.wrongLength(expected: 20, actual: 21)))
        XCTAssertEqual(error(String(good.dropLast())), .hex(.oddLength(39)))
        XCTAssertEqual(error("0xzz" + String(repeating: "0", count: 38)), .hex(.invalidCharacter("z", offset: 2)))
        XCTAssertEqual(error(""), .hex(.wrongLength(expected: 20, actual: 0)))
    }
}
