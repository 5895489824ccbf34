import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

final class ABITests: XCTestCase {
    /// Converts the vectors' JSON arguments: numbers, hex addresses, and text for bytes/bytesN/string.
    private func value(_ json: Any, _ type: ABIType) throws -> ABIValue {
        switch type {
        case .uint:
            if let n = json as? NSNumber { return .uint(UInt256(n.uint64Value)) }
            return .uint(try UInt256(parsing: try XCTUnwrap(json as? String)))
        case .int:
            let n = try XCTUnwrap(json as? NSNumber).int64Value
            return .int(n < 0 ? UInt256(UInt64(-n)).negated : UInt256(UInt64(n)))
        case .address: return .address(try Address(hex: try XCTUnwrap(json as? String)))
        case .bool: return .bool(try XCTUnwrap(json as? Bool))
        case .fixedBytes: return .fixedBytes(Array(try XCTUnwrap(json as? String).utf8))
        case .bytes: return .bytes(Array(try XCTUnwrap(json as? String).utf8))
        case .string: return .string(try XCTUnwrap(json as? String))
        case .array(let t), .fixedArray(let t, _): return .array(try XCTUnwrap(json as? [Any]).map { try value($0, t) })
        case .tuple: throw XCTSkip("tuples do not occur in the vectors")
        }
    }

    func testOfficialVectorsEncodeAndDecode() throws {
        let cases = try XCTUnwrap(Vectors.load(Vectors.ethereum().appendingPathComponent("ABITests/basic_abi_tests.json")) as? [String: [String: Any]])
        XCTAssertEqual(cases.count, 3)
        for (name, c) in cases {
            let types = try XCTUnwrap(c["types"] as? [String]).map { try ABIType(parsing: $0) }
            let args = try XCTUnwrap(c["args"] as? [Any])
            let values = try zip(args, types).map { try value($0, $1) }
            let expected = try [UInt8](hex: try XCTUnwrap(c["result"] as? String))
            XCTAssertEqual(try ABI.encode(values, types: types), expected, name)
            XCTAssertEqual(try ABI.decode(types, from: expected), values, name)
        }
    }

    func testSelectorsAndTopics() throws {
        XCTAssertEqual(try ABI.selector("transfer(address,uint256)").hex, "a9059cbb")
        XCTAssertEqual(try ABI.selector("transfer(address, uint)").hex, "a9059cbb")
        XCTAssertEqual(try ABI.selector("baz(uint32,bool)").hex, "cdcd77c0")
        XCTAssertEqual(
            try ABI.eventTopic("Transfer(address,address,uint256)").description,
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        XCTAssertThrowsError(try ABI.selector("transfer(address,uint7)"))
        XCTAssertThrowsError(try ABI.selector("(uint256)"))
    }

    /// The Solidity documentation's example f(uint256,uint32[],bytes10,bytes) and a nested dynamic tuple.
    func testDynamicTypesRoundTrip() throws {
        let types = try ABIType.parseList("(uint256,(bytes,string)[],int8[2],bytes3,bool)")
        let values: [ABIValue] = [
            .uint(UInt256(0x123)),
            .array([.tuple([.bytes([1, 2, 3]), .string("héllo")]), .tuple([.bytes([]), .string("")])]),
            .array([.int(UInt256(1).negated), .int(UInt256(127))]),
            .fixedBytes([0xaa, 0xbb, 0xcc]),
            .bool(true),
        ]
        let enc = try ABI.encode(values, types: types)
        XCTAssertEqual(enc.count % 32, 0)
        XCTAssertEqual(try ABI.decode(types, from: enc), values)
    }

    func testStrictDecodingRejectsBadData() throws {
        let word = { (b: UInt8) -> [UInt8] in [UInt8](repeating: 0, count: 31) + [b] }
        XCTAssertThrowsError(try ABI.decode([.bool], from: word(2))) { XCTAssertEqual($0 as? ABIError, .invalidBool(offset: 0)) }
        XCTAssertThrowsError(try ABI.decode([.uint(bits: 8)], from: [UInt8](repeating: 0, count: 30) + [1, 0]))
        XCTAssertThrowsError(try ABI.decode([.address], from: [1] + [UInt8](repeating: 0, count: 31)))
        XCTAssertThrowsError(try ABI.decode([.uint(bits: 256)], from: [UInt8](repeating: 0, count: 31)))
        // An offset pointing far outside the data.
        XCTAssertThrowsError(try ABI.decode([.bytes], from: [UInt8](repeating: 0xff, count: 32)))
        // A length larger than the data.
        XCTAssertThrowsError(try ABI.decode([.bytes], from: word(0x20) + word(0x40)))
        // An array count that could never fit.
        XCTAssertThrowsError(try ABI.decode([.array(.uint(bits: 256))], from: word(0x20) + [UInt8](repeating: 0, count: 24) + [0x7f, 0, 0, 0, 0, 0, 0, 0]))
        XCTAssertThrowsError(try ABI.encode([.uint(UInt256(256))], types: [.uint(bits: 8)]))
        XCTAssertThrowsError(try ABI.encode([.int(UInt256(128))], types: [.int(bits: 8)]))
    }

    func testCommandLineArgumentsParse() throws {
        let t = try ABIType(parsing: "(uint256,address[],int8,bytes2,string)")
        let v = try ABIValue(parsing: "(0x10,[0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed],-5,0xabcd,hi there)", as: t)
        XCTAssertEqual(v.description, "(16,[0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed],-5,0xabcd,hi there)")
        XCTAssertThrowsError(try ABIValue(parsing: "300", as: .uint(bits: 8)))
        XCTAssertThrowsError(try ABIValue(parsing: "-129", as: .int(bits: 8)))
        XCTAssertThrowsError(try ABIValue(parsing: "[1,2", as: .array(.uint(bits: 8))))
    }
}
