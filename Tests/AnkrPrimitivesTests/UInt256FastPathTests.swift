import AnkrPrimitives
import AnkrTestSupport
import XCTest

/// The allocation-free word operations the interpreter uses, each against a slower reference built from the
/// byte arrays and shifts.
final class UInt256FastPathTests: XCTestCase {
    private var rng = SplitMix64(seed: 7)

    private func random() -> UInt256 {
        let bits = [0, 1, 7, 8, 63, 64, 65, 127, 128, 191, 192, 255, 256].randomElement(using: &rng) ?? 256
        let v = UInt256(w0: rng.next(), w1: rng.next(), w2: rng.next(), w3: rng.next())
        return bits == 256 ? v : v & (UInt256.one.shiftedLeft(bits) &- .one)
    }

    func testByteMatchesTheBigEndianBytes() {
        for _ in 0..<2_000 {
            let v = random(), bytes = v.bigEndianBytes
            for i in 0..<32 { XCTAssertEqual(v.byte(UInt256(i)), UInt256(UInt64(bytes[i]))) }
            XCTAssertEqual(v.byte(UInt256(32)), .zero)
            XCTAssertEqual(v.byte(UInt256(w0: 3, w1: 1, w2: 0, w3: 0)), .zero, "an index above 2^64 is not index 3")
        }
    }

    func testSignExtendMatchesAMaskReference() {
        for _ in 0..<2_000 {
            let v = random()
            for k in 0..<33 {
                let want: UInt256
                if k >= 31 {
                    want = v
                } else {
                    let bit = k * 8 + 7
                    let mask = UInt256.one.shiftedLeft(bit + 1) &- .one
                    want = v.shiftedRight(bit).w0 & 1 == 1 ? v | ~mask : v & mask
                }
                XCTAssertEqual(v.signExtended(fromByte: UInt256(k)), want, "\(v) from byte \(k)")
            }
            XCTAssertEqual(v.signExtended(fromByte: UInt256(w0: 0, w1: 1, w2: 0, w3: 0)), v)
        }
    }

    func testOneLimbDivisionAgreesWithMultiplication() {
        for _ in 0..<20_000 {
            let a = random(), d = rng.next() >> (rng.next() % 64)
            guard d != 0 else { continue }
            let (q, r) = a.quotientAndRemainder(dividingBy: UInt256(d))
            XCTAssertLessThan(r, UInt256(d))
            let (p, overflow) = q.multipliedReportingOverflow(by: UInt256(d))
            XCTAssertFalse(overflow)
            XCTAssertEqual(p &+ r, a)
        }
        XCTAssertEqual(UInt256.max / UInt256(1), .max)
        XCTAssertEqual(UInt256.max % UInt256(UInt64.max), .zero)  // 2^256 − 1 = (2^64 − 1)(2^192 + 2^128 + 2^64 + 1)
    }

    func testOneLimbMulModAndAddModReduceTheFullProduct() {
        XCTAssertEqual(UInt256.mulMod(UInt256(UInt64.max), UInt256(UInt64.max), UInt256(UInt64.max - 1)), UInt256(1))
        XCTAssertEqual(UInt256.mulMod(UInt256(UInt64(1) << 63), UInt256(4), UInt256(3)), UInt256(2))  // 2^65 mod 3
        XCTAssertEqual(UInt256.addMod(UInt256(10), UInt256(5), UInt256(7)), UInt256(1))
        for _ in 0..<2_000 {
            let a = rng.next(), b = rng.next(), m = rng.next() | 1
            let (hi, lo) = a.multipliedFullWidth(by: b)
            let wide = UInt256(w0: lo, w1: hi, w2: 0, w3: 0)
            XCTAssertEqual(UInt256.mulMod(UInt256(a), UInt256(b), UInt256(m)), wide % UInt256(m))
        }
    }

    func testPowerByRepeatedMultiplication() {
        for _ in 0..<200 {
            let base = random(), e = rng.next() % 300
            var want = UInt256.one
            for _ in 0..<e { want = want &* base }
            XCTAssertEqual(base.power(UInt256(e)), want)
        }
        XCTAssertEqual(UInt256(2).power(UInt256(255)), UInt256.one.shiftedLeft(255))
        XCTAssertEqual(UInt256(2).power(UInt256(256)), .zero)
    }

    func testBufferReadsPadPastTheEndAndMatchTheByteInitializer() {
        let bytes = (0..<40).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes.withUnsafeBytes { raw in
            for offset in 0..<45 {
                for count in 0...32 {
                    let window = (0..<count).map { offset + $0 < bytes.count ? bytes[offset + $0] : 0 }
                    XCTAssertEqual(UInt256(bigEndian: raw, offset: offset, count: count), UInt256(bigEndian: window), "\(count) at \(offset)")
                }
            }
            XCTAssertEqual(UInt256(bigEndian: raw, offset: Int.max, count: 32), .zero, "an offset far past the end reads zeros")
        }
        [UInt8]().withUnsafeBytes { XCTAssertEqual(UInt256(bigEndian: $0, offset: 0, count: 32), .zero) }
    }

    func testStoreWritesTheBigEndianBytesInPlace() {
        for _ in 0..<100 {
            let v = random()
            var buffer = [UInt8](repeating: 0xee, count: 40)
            buffer.withUnsafeMutableBytes { v.storeBigEndian(into: $0, at: 5) }
            XCTAssertEqual(Array(buffer[5..<37]), v.bigEndianBytes)
            XCTAssertEqual(Array(buffer[0..<5]) + Array(buffer[37...]), [UInt8](repeating: 0xee, count: 8))
        }
    }

    func testKeccakWordIsTheDigestReadBigEndian() {
        for n in [0, 1, 31, 32, 33, 135, 136, 137, 300] {
            let data = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            XCTAssertEqual(Keccak256.word(data), UInt256(bigEndian: Keccak256.hash(data)))
            XCTAssertEqual(data.withUnsafeBytes { Keccak256.word($0) }, UInt256(bigEndian: Keccak256.hash(data)))
        }
        XCTAssertEqual(Keccak256.word([UInt8]()).bigEndianBytes.hexPrefixed, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }
}
