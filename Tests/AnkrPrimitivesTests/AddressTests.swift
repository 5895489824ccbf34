import AnkrPrimitives
import XCTest

final class AddressTests: XCTestCase {
    /// The examples published with EIP-55.
    func testEIP55Checksums() throws {
        for s in ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                  "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"] {
            XCTAssertEqual(try Address(hex: s.lowercased()).checksummed, s)
            XCTAssertEqual(try Address(hex: s).description, s)
        }
    }

    func testMixedCaseWithWrongChecksumIsRejected() {
        XCTAssertThrowsError(try Address(hex: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")) {
            guard case .badChecksum = $0 as? Address.ParseError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Address(hex: "0x1234"))
        XCTAssertThrowsError(try Address(hex: "0xzz" + String(repeating: "0", count: 38)))
    }

    func testHexErrorsAreTyped() {
        XCTAssertThrowsError(try [UInt8](hex: "0xabc")) { XCTAssertEqual($0 as? HexError, .oddLength(3)) }
        XCTAssertThrowsError(try [UInt8](hex: "0xag")) { XCTAssertEqual($0 as? HexError, .invalidCharacter("g", offset: 3)) }
        XCTAssertEqual(try [UInt8](hex: "0XABcd"), [0xab, 0xcd])
    }
}
