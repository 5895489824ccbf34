import AnkrPrimitives
import AnkrTestSupport
import XCTest

/// Feeds random and mutated inputs to the RLP and ABI decoders: each must either decode or throw a
/// typed error, never trap. Seeds are fixed so a failure replays.
final class DecoderFuzzTests: XCTestCase {
    static let iterations = 100_000

    private func mutate(_ seed: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = seed
        for _ in 0...Int.random(in: 0...3, using: &rng) {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &rng))
            case 2: b.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...b.count, using: &rng))
            case 3 where !b.isEmpty: b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
            default: b += b.prefix(Int.random(in: 0...min(8, b.count), using: &rng))
            }
        }
        return b
    }

    func testRLPDecoderNeverTraps() {
        var rng = SplitMix64(seed: 1)
        let seeds: [[UInt8]] = [
            RLP.encode(.list([.bytes(Array("dog".utf8)), .list([.uint(UInt256(1024))]), .bytes([UInt8](repeating: 7, count: 60))])),
            RLP.encode(.list((0..<20).map { .uint(UInt256(UInt64($0) * 1000)) })),
            [0xf9, 0x01, 0x00] + [UInt8](repeating: 0x80, count: 256),
        ]
        var accepted = 0
        for i in 0..<Self.iterations {
            let input: [UInt8]
            if i % 2 == 0 {
                input = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                input = mutate(seeds[i % seeds.count], &rng)
            }
            if let item = try? RLP.decode(input) {
                accepted += 1
                // Strictness: whatever is accepted is the canonical encoding.
                XCTAssertEqual(RLP.encode(item), input)
            }
        }
        XCTAssertGreaterThan(accepted, 0)
    }

    func testABIDecoderNeverTraps() throws {
        var rng = SplitMix64(seed: 2)
        let types = try ABIType.parseList("(uint256,(bytes,string)[],int8[2],bytes3,bool,address[])")
        let seed = try ABI.encode([
            .uint(UInt256(5)), .array([.tuple([.bytes([1, 2]), .string("x")])]),
            .array([.int(.one), .int(.zero)]), .fixedBytes([1, 2, 3]), .bool(false), .array([]),
        ], types: types)
        for i in 0..<Self.iterations {
            let input: [UInt8]
            if i % 4 == 0 {
                input = (0..<(32 * Int.random(in: 0...12, using: &rng))).map { _ in UInt8.random(in: 0...3, using: &rng) == 0 ? UInt8.random(in: 0...255, using: &rng) : 0 }
            } else {
                var b = seed
                // Word-aligned edits hit offsets and lengths, byte edits hit padding.
                let w = Int.random(in: 0..<(b.count / 32), using: &rng)
                b[w * 32 + 31 - Int.random(in: 0...3, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                input = Int.random(in: 0...3, using: &rng) == 0 ? mutate(b, &rng) : b
            }
            // Whatever decodes copied no more bytes out of the input than it holds.
            if let values = try? ABI.decode(types, from: input) { XCTAssertLessThanOrEqual(values.payloadBytes, input.count) }
        }
    }
}
