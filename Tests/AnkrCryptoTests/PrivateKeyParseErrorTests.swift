import AnkrCrypto
import AnkrPrimitives
import XCTest

/// What a refused private key says: its length when it has the wrong one, that it is not hex when it
/// is not, and the curve-order message only for a 32-byte key that is zero or too large. No message
/// repeats the key.
final class PrivateKeyParseErrorTests: XCTestCase {
    func error(_ text: String) -> CryptoError? {
        do { _ = try PrivateKey(hex: text); return nil } catch { return error as? CryptoError }
    }

    func testAShortKeySaysItsLength() {
        XCTAssertEqual(error("0x46"), .privateKeyLength(1))
        XCTAssertEqual(error("0x46")?.description, "a private key is 32 bytes (64 hex digits); got 1 byte")
        XCTAssertEqual(error("0x" + String(repeating: "46", count: 31))?.description, "a private key is 32 bytes (64 hex digits); got 31 bytes")
        XCTAssertEqual(error("0x"), .privateKeyLength(0))
        XCTAssertEqual(error(""), .privateKeyLength(0))
    }

    func testALongKeySaysItsLength() {
        XCTAssertEqual(error("0x" + String(repeating: "46", count: 33)), .privateKeyLength(33))
        XCTAssertEqual(error(String(repeating: "ab", count: 4_096)), .privateKeyLength(4_096))
    }

    func testTextThatIsNotHexIsSaidSoWithoutRepeatingIt() {
        let secret = "0x" + String(repeating: "46", count: 31) + "4g"
        XCTAssertEqual(error(secret), .privateKeyNotHex)
        XCTAssertEqual(error("0x" + String(repeating: "4", count: 63)), .privateKeyNotHex, "an odd number of digits")
        XCTAssertFalse(CryptoError.privateKeyNotHex.description.contains("4646"))
    }

    func testOnlyA32ByteKeyOutOfRangeGetsTheCurveOrderMessage() throws {
        XCTAssertEqual(error("0x" + String(repeating: "00", count: 32)), .invalidPrivateKey)
        XCTAssertEqual(error("0x" + String(repeating: "ff", count: 32)), .invalidPrivateKey)
        XCTAssertNoThrow(try PrivateKey(hex: "0x" + String(repeating: "46", count: 32)))
        XCTAssertNoThrow(try PrivateKey(hex: String(repeating: "46", count: 32)), "the 0x is optional")
    }
}
