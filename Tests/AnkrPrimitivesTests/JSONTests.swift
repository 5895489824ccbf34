import AnkrPrimitives
import Foundation
import XCTest

final class JSONTests: XCTestCase {
    func testParsesEveryKindAndWritesItBackCompactWithSortedKeys() throws {
        let text = #" { "b" : [1, -2, 3.5, 1e3, true, false, null], "a": "x\"\\\/\n\u00e9\ud83d\ude00" } "#
        let v = try JSON(parsing: text)
        XCTAssertEqual(v["b"]?[0], .int(1))
        XCTAssertEqual(v["b"]?[1]?.int, -2)
        XCTAssertEqual(v["b"]?[2]?.double, 3.5)
        XCTAssertEqual(v["b"]?[3]?.int, 1000)
        XCTAssertEqual(v["b"]?[6]?.isNull, true)
        XCTAssertEqual(v["a"]?.string, "x\"\\/\né😀")
        XCTAssertEqual(v.text, #"{"a":"x\"\\/\né😀","b":[1,-2,3.5,1000,true,false,null]}"#)
        // Text round-trips exactly; a fraction-free double (1e3) comes back as the integer it wrote.
        XCTAssertEqual(try JSON(parsing: v.text).text, v.text)
        XCTAssertEqual(try JSON(parsing: v.text)["b"]?[3], .int(1000))
    }

    func testControlCharactersAreEscapedOnOutput() {
        XCTAssertEqual(JSON.string("a\u{01}\t").text, #""a\u0001\t""#)
    }

    func testIntegersBeyondInt64BecomeDoublesAndOverlongNumbersAreRefused() throws {
        XCTAssertEqual(try JSON(parsing: "9223372036854775807"), .int(Int64.max))
        XCTAssertEqual(try JSON(parsing: "9223372036854775808").double, 9223372036854775808)
        XCTAssertThrowsError(try JSON(parsing: String(repeating: "9", count: 401)))
        XCTAssertEqual(try JSON(parsing: "1e400").double, .infinity)
        XCTAssertEqual(JSON.double(.infinity).text, "null")
    }

    func testMalformedTextIsATypedErrorNamingTheOffset() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "-", "1.", "tru", "nul", "\"abc", "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"",
                    "[1] 2", "{\"a\":1,}", "\"\u{01}\"", "'a'", "\"\\u12\""] {
            XCTAssertThrowsError(try JSON(parsing: bad), bad) { error in
                guard case JSONError.malformed(let why) = error else { return XCTFail("\(bad): \(error)") }
                XCTAssertTrue(why.contains("at byte"), why)
            }
        }
        XCTAssertThrowsError(try JSON(parsing: Data([0x22, 0xFF, 0xFE, 0x22])))
    }

    func testNestingIsBoundedSoDeepInputCannotExhaustTheStack() throws {
        XCTAssertNoThrow(try JSON(parsing: String(repeating: "[", count: 511) + String(repeating: "]", count: 511)))
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSON(parsing: deep)) { error in
            XCTAssertEqual("\(error)".contains("nesting deeper than 512"), true, "\(error)")
        }
    }

    func testCodableRoundTripAndAccessorsOnTheWrongKindAreNil() throws {
        struct Reply: Codable, Equatable { var id: Int; var name: String; var tags: [String] }
        let r = Reply(id: 7, name: "n", tags: ["a"])
        let v = try JSON(encoding: r)
        XCTAssertEqual(v["id"], .int(7))
        XCTAssertEqual(try v.decode(Reply.self), r)
        XCTAssertNil(v["name"]?.int)
        XCTAssertNil(v[0])
        XCTAssertNil(JSON.array([1])[1])
        XCTAssertNil(JSON.double(1.5).int)
        XCTAssertThrowsError(try JSON.string("x").decode(Reply.self))
    }
}
