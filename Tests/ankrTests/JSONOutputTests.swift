import AnkrCommandLine
import AnkrPrimitives
import Foundation
import XCTest

@testable import ankr

/// `--json` output keeps the bytes Foundation's `JSONSerialization` printed before the CLI moved to
/// the `JSON` value type: scripts and people diff it.
final class JSONOutputTests: XCTestCase {
    func testPrettyOutputIsTheLayoutJSONSerializationWrote() throws {
        let value: JSON = [
            "b": [], "a": ["x": [:], "y": [1, "s/t", nil, true, 1.5, -3, ["deep": ["z": 0]]]],
            "c": "tab\tquote\" backslash\\ é", "d": 12345678901, "e": [[]],
        ]
        let foundation: [String: Any] = [
            "b": [Any](), "a": ["x": [String: Any](), "y": [1, "s/t", NSNull(), true, 1.5, -3, ["deep": ["z": 0]]] as [Any]] as [String: Any],
            "c": "tab\tquote\" backslash\\ é", "d": 12345678901, "e": [[Any]()],
        ]
        let expected = try JSONSerialization.data(withJSONObject: foundation, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        XCTAssertEqual(JSONOutput.pretty(value), String(decoding: expected, as: UTF8.self))
    }

    func testPrettyScalarsAndEmptyContainersAtTheTop() {
        XCTAssertEqual(JSONOutput.pretty("x"), "\"x\"")
        XCTAssertEqual(JSONOutput.pretty([]), "[\n\n]")
        XCTAssertEqual(JSONOutput.pretty([:]), "{\n\n}")
    }

    func testParseReadsAnyValueAndRefusesBrokenText() throws {
        XCTAssertEqual(try JSONOutput.parse("[1, \"a\"]", what: "the value"), [1, "a"])
        XCTAssertEqual(try JSONOutput.parse("7", what: "the value"), 7)
        XCTAssertThrowsError(try JSONOutput.parse("{", what: "the entries")) { error in
            XCTAssertEqual("\(error)", "the entries is not valid JSON")
        }
    }
}
