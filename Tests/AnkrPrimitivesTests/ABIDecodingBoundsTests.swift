import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// Hostile layouts and types against the ABI codec: offsets that alias or overlap are refused with
/// ``ABIError/aliasedOffset(offset:pointer:firstFree:)`` before they can multiply the input, the bytes
/// decoded never exceed the bytes given, oversized or over-nested types are refused instead of
/// trapping, and every standard encoding still decodes.
final class ABIDecodingBoundsTests: XCTestCase {
    private func word(_ v: Int) -> [UInt8] { UInt256(UInt64(v)).bigEndianBytes }

    /// `bytes[]` whose `count` head words all hold the same offset, naming one blob of `blob` bytes.
    private func aliasedBytesArray(count: Int, blob: Int) -> [UInt8] {
        var data = word(0x20) + word(count)
        for _ in 0..<count { data += word(count * 32) }
        return data + word(blob) + [UInt8](repeating: 0xab, count: blob)
    }

    func testBytesArrayWhoseOffsetsAllNameOneBlobIsRefusedAtTheSecondElement() throws {
        // 2,000 copies of 64 KiB from 128 KiB of input: 125 MiB decoded before the fix.
        let count = 2_000, blob = 65_536
        let data = aliasedBytesArray(count: count, blob: blob)
        let started = Date()
        XCTAssertThrowsError(try ABI.decode([.array(.bytes)], from: data)) {
            // The first element ends after its length word and payload; the second points back at it.
            XCTAssertEqual($0 as? ABIError, .aliasedOffset(offset: 0x60, pointer: count * 32, firstFree: count * 32 + 32 + blob))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }

    func testTailsThatStepInsideAnEarlierPayloadAreRefused() throws {
        // Offsets strictly increase, but each lands one word into the previous payload, whose words
        // are crafted lengths: element i would copy everything after its length word, so n elements
        // would copy about n²/2 words.
        let n = 64
        var data = word(0x20) + word(n)
        for i in 0..<n { data += word(n * 32 + i * 32) }
        let words = n + 8
        for j in 0..<words { data += word((words - j - 1) * 32) }
        XCTAssertThrowsError(try ABI.decode([.array(.bytes)], from: data)) {
            XCTAssertEqual($0 as? ABIError, .aliasedOffset(offset: 0x60, pointer: n * 32 + 32, firstFree: n * 32 + words * 32))
        }
    }

    func testNestedArraysPointingAtOneChildAreRefused() throws {
        // uint256[][][]: every level holds 30 elements that all point at the same child.
        let n = 30
        var data = word(0x20)
        data += word(n) + (0..<n).flatMap { _ in word(n * 32) }
        data += word(n) + (0..<n).flatMap { _ in word(n * 32) }
        data += word(n) + [UInt8](repeating: 0, count: n * 32)
        XCTAssertThrowsError(try ABI.decode([try ABIType(parsing: "uint256[][][]")], from: data)) {
            guard case .aliasedOffset? = $0 as? ABIError else { return XCTFail("\($0)") }
        }
    }

    func testTailPointingIntoTheHeadIsRefused() throws {
        // (bytes,uint256): the offset names the head's own second word, an integer the encoder chose.
        let data = word(0x20) + word(0) + word(0)
        XCTAssertThrowsError(try ABI.decode([.bytes, .uint(bits: 256)], from: data)) {
            XCTAssertEqual($0 as? ABIError, .aliasedOffset(offset: 0, pointer: 0x20, firstFree: 0x40))
        }
    }

    func testValuesThatTakeNoBytesStillExhaustTheValueBudget() throws {
        // Empty tuples occupy no input at all; four billion of them must not be built.
        XCTAssertThrowsError(try ABI.decode([try ABIType(parsing: "()[65536][65536]")], from: [])) {
            XCTAssertEqual($0 as? ABIError, .tooComplex)
        }
    }

    /// Whatever offsets an attacker writes into a valid `bytes[]` encoding, a successful decode never
    /// yields more payload bytes than the input holds; before the fix, pointing several heads at the
    /// large element multiplied it.
    func testDecodedPayloadsNeverExceedTheInputWhateverTheOffsets() throws {
        var rng = SplitMix64(seed: 17)
        let elements: [ABIValue] = [.bytes([UInt8](repeating: 0x5a, count: 4_096))]
            + (0..<8).map { .bytes([UInt8](repeating: UInt8($0), count: $0 * 7)) }
        let valid = try ABI.encode([.array(elements)], types: [.array(.bytes)])
        XCTAssertEqual(try ABI.decode([.array(.bytes)], from: valid), [.array(elements)])
        let heads = 0x40
        let bigOffset = Array(valid[heads..<(heads + 32)])
        var decoded = 0
        for _ in 0..<2_000 {
            var data = valid
            for _ in 0...Int.random(in: 1...4, using: &rng) {
                // Point head i at the large element, at its predecessor, or leave it.
                let i = Int.random(in: 1..<elements.count, using: &rng)
                let source = [bigOffset, Array(valid[(heads + 32 * (i - 1))..<(heads + 32 * i)]), Array(valid[(heads + 32 * i)..<(heads + 32 * (i + 1))])]
                data.replaceSubrange((heads + 32 * i)..<(heads + 32 * (i + 1)), with: source[Int.random(in: 0...2, using: &rng)])
            }
            guard let values = try? ABI.decode([.array(.bytes)], from: data) else { continue }
            decoded += 1
            XCTAssertLessThanOrEqual(values.payloadBytes, data.count)
        }
        XCTAssertGreaterThan(decoded, 0, "some mutations leave the layout intact")
    }

    func testNestedDynamicEncodingsWithEmptyValuesRoundTrip() throws {
        let types = try ABIType.parseList("(bytes[],string,(bytes,uint8)[2],bytes[][],(string,bytes[])[],bytes)")
        let values: [ABIValue] = [
            .array([.bytes([]), .bytes([]), .bytes([1]), .bytes([])]),
            .string(""),
            .array([.tuple([.bytes([]), .uint(UInt256(7))]), .tuple([.bytes(Array(repeating: 9, count: 33)), .uint(.zero)])]),
            .array([.array([]), .array([.bytes([]), .bytes([2, 3])]), .array([])]),
            .array([.tuple([.string("é"), .array([])]), .tuple([.string(""), .array([.bytes([])])])]),
            .bytes([]),
        ]
        let data = try ABI.encode(values, types: types)
        let decoded = try ABI.decode(types, from: data)
        XCTAssertEqual(decoded, values)
        XCTAssertLessThanOrEqual(decoded.payloadBytes, data.count)
    }

    func testFixedArrayTypeLargerThanMemoryIsRefusedNotTrapped() throws {
        // 32 · 65536⁴ bytes of head: the size alone overflowed an Int and trapped.
        let huge = try ABIType(parsing: "uint256[65536][65536][65536][65536]")
        XCTAssertEqual(huge.headSize, .max)
        for types in [[huge], [.uint(bits: 256), huge, .bytes]] {
            XCTAssertThrowsError(try ABI.decode(types, from: word(1))) {
                XCTAssertEqual($0 as? ABIError, .typeTooLarge("uint256[65536][65536][65536][65536]"))
            }
        }
        XCTAssertThrowsError(try ABI.encode([.array([]), .bytes([])], types: [huge, .bytes])) {
            XCTAssertEqual($0 as? ABIError, .typeTooLarge("uint256[65536][65536][65536][65536]"))
        }
        // A head that is merely longer than the data is short data, as before.
        XCTAssertThrowsError(try ABI.decode([try ABIType(parsing: "uint256[65536]")], from: word(1))) {
            XCTAssertEqual($0 as? ABIError, .truncated(offset: 0, needed: 32 * 65_536, available: 32))
        }
    }

    func testTypeNestedPastTheDepthLimitIsRefused() throws {
        XCTAssertNoThrow(try ABIType(parsing: "uint256" + String(repeating: "[]", count: 31)))
        XCTAssertThrowsError(try ABIType(parsing: "uint256" + String(repeating: "[]", count: 32))) {
            guard case .invalidType? = $0 as? ABIError else { return XCTFail("\($0)") }
        }
        // Two hundred thousand suffixes exhausted the stack of whatever walked the type next.
        XCTAssertThrowsError(try ABIType(parsing: "uint256" + String(repeating: "[1]", count: 200_000)))
        XCTAssertThrowsError(try ABI.selector("f((uint8[2])" + String(repeating: "[]", count: 31) + ")"))
    }
}
