import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// ethereum/tests RLPTests: every valid case encodes and decodes byte-exactly, every invalid case is rejected.
final class RLPVectorTests: XCTestCase {
    /// Turns the vectors' "in" notation into an item: strings are bytes, "#…" big integers, numbers integers.
    private func item(_ json: Any) throws -> RLPItem {
        switch json {
        case let s as String:
            if s.hasPrefix("#") { return .bytes(bigEndianBytes(decimal: String(s.dropFirst()))) }
            return .bytes(Array(s.utf8))
        case let n as NSNumber:
            return .uint(UInt256(n.uint64Value))
        case let a as [Any]:
            return .list(try a.map(item))
        default:
            throw XCTSkip("unexpected vector value \(json)")
        }
    }

    /// RLP integers are unbounded (one vector is 2^256), so convert decimal text digit by digit.
    private func bigEndianBytes(decimal: String) -> [UInt8] {
        var out = [UInt8]()
        for d in decimal.utf8 {
            var carry = Int(d - UInt8(ascii: "0"))
            for i in stride(from: out.count - 1, through: 0, by: -1) {
                let v = Int(out[i]) * 10 + carry
                out[i] = UInt8(v & 0xff)
                carry = v >> 8
            }
            while carry > 0 { out.insert(UInt8(carry & 0xff), at: 0); carry >>= 8 }
        }
        return out
    }

    func testValidVectorsEncodeAndDecodeExactly() throws {
        let cases = try XCTUnwrap(Vectors.load(Vectors.ethereum().appendingPathComponent("RLPTests/rlptest.json")) as? [String: [String: Any]])
        XCTAssertGreaterThan(cases.count, 20)
        for (name, c) in cases {
            let expected = try [UInt8](hex: try XCTUnwrap(c["out"] as? String))
            let input = try item(c["in"] as Any)
            XCTAssertEqual(RLP.encode(input), expected, name)
            let decoded = try RLP.decode(expected)
            XCTAssertEqual(RLP.encode(decoded), expected, name)
        }
    }

    func testInvalidVectorsAreRejected() throws {
        let cases = try XCTUnwrap(Vectors.load(Vectors.ethereum().appendingPathComponent("RLPTests/invalidRLPTest.json")) as? [String: [String: Any]])
        XCTAssertGreaterThan(cases.count, 20)
        for (name, c) in cases {
            let bytes = try [UInt8](hex: try XCTUnwrap(c["out"] as? String))
            XCTAssertThrowsError(try RLP.decode(bytes), "\(name) must be rejected")
        }
    }

    func testRandomVectorsRoundTrip() throws {
        for file in try Vectors.jsonFiles("RLPTests/RandomRLPTests") {
            let cases = try XCTUnwrap(Vectors.load(file) as? [String: [String: Any]])
            for (name, c) in cases {
                let bytes = try [UInt8](hex: try XCTUnwrap(c["out"] as? String))
                XCTAssertEqual(RLP.encode(try RLP.decode(bytes)), bytes, name)
            }
        }
    }

    func testErrorsNameTheProblemAndOffset() {
        XCTAssertEqual(try? RLP.decode([0x81, 0x05]), nil)
        XCTAssertThrowsError(try RLP.decode([0x81, 0x05])) { XCTAssertEqual($0 as? RLPError, .singleByteWrapped(offset: 0)) }
        XCTAssertThrowsError(try RLP.decode([0xb8, 0x01, 0xff])) { XCTAssertEqual($0 as? RLPError, .longFormForShortPayload(offset: 0)) }
        XCTAssertThrowsError(try RLP.decode([0xc2, 0x01])) { XCTAssertEqual($0 as? RLPError, .truncated(offset: 0, needed: 3, available: 2)) }
        XCTAssertThrowsError(try RLP.decode([0x01, 0x02])) { XCTAssertEqual($0 as? RLPError, .trailingBytes(offset: 1)) }
        XCTAssertThrowsError(try RLPItem.bytes([0x00, 0x01]).uint256Value()) { XCTAssertEqual($0 as? RLPError, .nonCanonicalInteger) }
        XCTAssertThrowsError(try RLPItem.bytes([UInt8](repeating: 1, count: 33)).uint256Value())
    }

    func testDeepNestingIsRejectedWithoutCrashing() {
        let depth = 10_000
        var bytes = [UInt8]()
        // Each level is a long-form list header whose length covers everything after it.
        var inner: [UInt8] = [0xc0]
        for _ in 0..<depth { inner = RLP.encodeList(encodedItems: [inner]) }
        bytes = inner
        XCTAssertThrowsError(try RLP.decode(bytes)) {
            guard case .tooDeep = $0 as? RLPError else { return XCTFail("expected tooDeep, got \($0)") }
        }
    }
}
