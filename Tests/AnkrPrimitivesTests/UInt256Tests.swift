import AnkrPrimitives
import AnkrTestSupport
import XCTest

final class UInt256Tests: XCTestCase {
    private var rng = SplitMix64(seed: 42)

    /// Random values of varied width so carries, short divisors and full-width cases all occur.
    private func random() -> UInt256 {
        let bits = [0, 1, 8, 63, 64, 65, 127, 128, 129, 191, 192, 255, 256].randomElement(using: &rng)!
        var v = UInt256(w0: rng.next(), w1: rng.next(), w2: rng.next(), w3: rng.next())
        v = bits == 256 ? v : v & (UInt256.one.shiftedLeft(bits) &- .one)
        return v
    }

    /// (a + b) mod m for a, b < m, without division: an independent reference.
    private func addModSlow(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        let (s, carry) = a.addingReportingOverflow(b)
        return carry || s >= m ? s &- m : s
    }

    private func mulModSlow(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        let a = a % m
        var r = UInt256.zero
        for i in stride(from: 255, through: 0, by: -1) {
            r = addModSlow(r, r, m)
            if b.shiftedRight(i).w0 & 1 == 1 { r = addModSlow(r, a, m) }
        }
        return r
    }

    func testDivisionIdentityHoldsForRandomOperands() {
        for _ in 0..<20_000 {
            let a = random(), b = random()
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            if b.isZero {
                XCTAssertEqual(q, .zero); XCTAssertEqual(r, .zero); continue
            }
            XCTAssertLessThan(r, b)
            let (prod, overflow) = q.multipliedReportingOverflow(by: b)
            XCTAssertFalse(overflow)
            XCTAssertEqual(prod &+ r, a, "\(a) / \(b)")
        }
    }

    func testMulModAndAddModMatchAReferenceWithoutDivision() {
        for _ in 0..<300 {
            let a = random(), b = random(), m = random()
            guard !m.isZero else {
                XCTAssertEqual(UInt256.mulMod(a, b, m), .zero); continue
            }
            XCTAssertEqual(UInt256.mulMod(a, b, m), mulModSlow(a, b, m))
            XCTAssertEqual(UInt256.addMod(a, b, m), addModSlow(a % m, b % m, m))
        }
        // The carry out of 256 bits must not be lost.
        XCTAssertEqual(UInt256.addMod(.max, .max, UInt256(10)), UInt256(0))  // (2^257 - 2) mod 10 = 0
        XCTAssertEqual(UInt256.mulMod(.max, .max, .max), .zero)
    }

    func testWrappingArithmetic() {
        XCTAssertEqual(UInt256.max &+ .one, .zero)
        XCTAssertEqual(UInt256.zero &- .one, .max)
        XCTAssertEqual(UInt256.max &* UInt256.max, .one)
        XCTAssertEqual(UInt256(2).power(UInt256(255)), UInt256.one.shiftedLeft(255))
        XCTAssertEqual(UInt256(2).power(UInt256(256)), .zero)
        XCTAssertEqual(UInt256(3).power(.zero), .one)
        XCTAssertEqual(UInt256(7).power(UInt256(3)), UInt256(343))
        for _ in 0..<2_000 {
            let a = random(), b = random()
            XCTAssertEqual((a &+ b) &- b, a)
            XCTAssertEqual(a &* b, b &* a)
            XCTAssertEqual(a.multipliedReportingOverflow(by: b).partialValue, a &* b)
        }
    }

    func testSignedOperationsFollowTheEVM() {
        let minusOne = UInt256.max
        let minInt = UInt256.one.shiftedLeft(255)
        XCTAssertEqual(UInt256(10).signedDivided(by: minusOne), UInt256(10).negated)
        XCTAssertEqual(minInt.signedDivided(by: minusOne), minInt)  // overflow wraps
        XCTAssertEqual(UInt256(7).negated.signedDivided(by: UInt256(2)), UInt256(3).negated)  // truncates toward zero
        XCTAssertEqual(UInt256(7).negated.signedRemainder(dividingBy: UInt256(2)), minusOne)  // sign of dividend
        XCTAssertEqual(UInt256(7).signedRemainder(dividingBy: UInt256(2).negated), .one)
        XCTAssertEqual(UInt256(5).signedDivided(by: .zero), .zero)
        XCTAssertTrue(UInt256.signedLess(minusOne, .one))
        XCTAssertFalse(UInt256.signedLess(.one, minusOne))
        XCTAssertEqual(UInt256(0xff).signExtended(fromByte: .zero), .max)
        XCTAssertEqual(UInt256(0x7f).signExtended(fromByte: .zero), UInt256(0x7f))
        XCTAssertEqual(UInt256(0x80ff).signExtended(fromByte: UInt256(1)), UInt256(0x80ff) | ~UInt256(0xffff))
        XCTAssertEqual(minusOne.arithmeticShiftRight(UInt256(300)), .max)
        XCTAssertEqual(minInt.arithmeticShiftRight(UInt256(254)), UInt256(2).negated)
        XCTAssertEqual(UInt256(16).arithmeticShiftRight(UInt256(2)), UInt256(4))
    }

    func testShiftsAndBytes() {
        XCTAssertEqual(UInt256.one.shiftedLeft(UInt256(256)), .zero)
        XCTAssertEqual(UInt256.max.shiftedRight(UInt256(255)), .one)
        XCTAssertEqual(UInt256(0xabcd).shiftedLeft(64).w1, 0xabcd)
        XCTAssertEqual(UInt256(0xabcd).shiftedLeft(68).shiftedRight(68), UInt256(0xabcd))
        XCTAssertEqual(UInt256(0xabcd).byte(UInt256(31)), UInt256(0xcd))
        XCTAssertEqual(UInt256(0xabcd).byte(UInt256(30)), UInt256(0xab))
        XCTAssertEqual(UInt256.max.byte(UInt256(32)), .zero)
        XCTAssertEqual(UInt256.one.shiftedLeft(200).bitWidth, 201)
    }

    func testTextAndBytesRoundTrip() throws {
        let maxText = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        XCTAssertEqual(UInt256.max.description, maxText)
        XCTAssertEqual(try UInt256(parsing: maxText), .max)
        XCTAssertThrowsError(try UInt256(parsing: maxText.replacingOccurrences(of: "35", with: "36")))
        XCTAssertThrowsError(try UInt256(parsing: "0x1" + String(repeating: "0", count: 64)))
        XCTAssertThrowsError(try UInt256(parsing: "12a"))
        XCTAssertEqual(try UInt256(parsing: "0x00ff"), UInt256(255))
        XCTAssertEqual(UInt256(255).hexQuantity, "0xff")
        XCTAssertEqual(UInt256.zero.hexQuantity, "0x0")
        XCTAssertEqual(UInt256(0x1234).minimalBigEndianBytes, [0x12, 0x34])
        for _ in 0..<1_000 {
            let v = random()
            XCTAssertEqual(UInt256(bigEndian: v.bigEndianBytes), v)
            XCTAssertEqual(try UInt256(parsing: v.description), v)
            XCTAssertEqual(try UInt256(parsing: v.hexQuantity), v)
        }
        XCTAssertNil(UInt256(bigEndian: [UInt8](repeating: 1, count: 33)))
    }
}
