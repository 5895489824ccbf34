@testable import AnkrEthAPI
import XCTest

/// TraceConfig timeouts in Go's duration syntax: what geth accepts is read to the nanosecond, anything
/// else (signs, missing units, overflow, hostile lengths) is a typed error.
final class DebugDurationTests: XCTestCase {
    func testGoDurationsAreReadAsGoReadsThem() throws {
        let cases: [(String, Duration)] = [
            ("5s", .seconds(5)), ("300ms", .milliseconds(300)), ("1.5m", .seconds(90)), ("2m30s", .seconds(150)),
            ("1h", .seconds(3600)), ("250us", .microseconds(250)), ("250µs", .microseconds(250)), ("7ns", .nanoseconds(7)),
            (".5s", .milliseconds(500)), ("1.s", .seconds(1)), ("0.0000000019s", .nanoseconds(1)), ("1h1m1s1ms", .milliseconds(3_661_001)),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try DebugDuration.parse(text), expected, text)
        }
    }

    func testMalformedDurationsAreRefusedWithTheirReason() {
        for text in ["", "5", "s", "5x", "5 s", "1.5.5s", ".s", "5S", "0x10s", "5s5"] {
            XCTAssertThrowsError(try DebugDuration.parse(text), text) { XCTAssertEqual($0 as? DebugTraceConfigError, .malformedTimeout(text)) }
        }
        for text in ["-1s", "+1s"] {
            XCTAssertThrowsError(try DebugDuration.parse(text), text) { XCTAssertEqual($0 as? DebugTraceConfigError, .malformedTimeout(text)) }
        }
        for text in ["0s", "0ms", "0.0000000001s"] {
            XCTAssertThrowsError(try DebugDuration.parse(text), text) { XCTAssertEqual($0 as? DebugTraceConfigError, .nonPositiveTimeout(text)) }
        }
        for text in ["9223372036854775808ns", "2562048h", "99999999999999999999999h", "2562047h2562047h"] {
            XCTAssertThrowsError(try DebugDuration.parse(text), text) { XCTAssertEqual($0 as? DebugTraceConfigError, .timeoutOutOfRange(text)) }
        }
        let long = String(repeating: "1", count: 10_000) + "s"
        XCTAssertThrowsError(try DebugDuration.parse(long)) {
            XCTAssertEqual($0 as? DebugTraceConfigError, .timeoutTooLong(length: long.utf8.count, limit: DebugDuration.maxLength))
        }
    }
}
