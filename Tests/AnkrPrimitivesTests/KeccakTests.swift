import AnkrPrimitives
import AnkrTestSupport
import XCTest

final class KeccakTests: XCTestCase {
    func testKnownDigests() {
        XCTAssertEqual(Keccak256.hash([UInt8]()).hex, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        XCTAssertEqual(Keccak256.hash(Array("abc".utf8)).hex, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        XCTAssertEqual(
            Keccak256.hash(Array("The quick brown fox jumps over the lazy dog".utf8)).hex,
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")
        // 200 bytes of 0xa3 spans two blocks.
        XCTAssertEqual(
            Keccak256.hash([UInt8](repeating: 0xa3, count: 200)).hex,
            "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a")
    }

    func testStreamingMatchesOneShotAtEveryBlockBoundary() {
        var rng = SplitMix64(seed: 7)
        for length in [0, 1, 31, 32, 33, 135, 136, 137, 271, 272, 273, 1000] {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var h = Keccak256()
            var i = 0
            while i < data.count {
                let step = Int.random(in: 1...50, using: &rng)
                h.update(data[i..<min(data.count, i + step)])
                i += step
            }
            XCTAssertEqual(h.finalize(), Keccak256.hash(data), "length \(length)")
        }
    }
}
