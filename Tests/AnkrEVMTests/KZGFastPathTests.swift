import AnkrPrimitives
@testable import AnkrEVM
import XCTest

/// The faster BLS12-381 paths under the KZG precompile against the plain ones: the unrolled Montgomery
/// product, mixed and batched-affine point arithmetic, and prepared Miller-loop lines.
final class KZGFastPathTests: XCTestCase {
    typealias Fp = BLS12381.Fp
    typealias Fp2 = BLS12381.Fp2
    typealias G1 = BLS12381.Point<BLS12381.Fp>
    typealias G2 = BLS12381.Point<BLS12381.Fp2>

    func setup() throws -> KZGTrustedSetup { try KZGTrustedSetup.embedded.get() }

    /// Values that stress the carries: 0, 1, p − 1, p − 2, all-ones low limbs, and a spread of bits.
    static var edgeValues: [Fp] {
        let m = BLS12381.modulus
        let plains: [BLS12381.Limbs] = [
            [0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [m[0] - 1, m[1], m[2], m[3], m[4], m[5]], [m[0] - 2, m[1], m[2], m[3], m[4], m[5]],
            [.max, .max, .max, .max, .max, 0x1A01_11EA_397F_E699], [.max, 0, .max, 0, .max, 0],
            [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 0x0F0F_0F0F_0F0F_0F0F, 0xF0F0_F0F0_F0F0_F0F0, 0x1357_9BDF_2468_ACE0, 0x0FFF_FFFF_FFFF_FFFF],
        ]
        return plains.compactMap { Fp(plain: $0) }
    }

    func testEdgeValuesAreAllBelowTheModulus() {
        XCTAssertEqual(Self.edgeValues.count, 7)
        XCTAssertNil(Fp(plain: BLS12381.modulus))
    }

    func testMontgomeryProductAgreesWithRepeatedAddition() {
        for a in Self.edgeValues {
            var sum = Fp.zero
            for k in 0...20 {
                XCTAssertEqual(a * Fp(UInt64(k)), sum, "k = \(k)")
                sum = sum + a
            }
        }
    }

    func testMontgomeryProductIsAFieldProduct() {
        let values = Self.edgeValues
        for a in values {
            XCTAssertEqual(Fp(plain: a.plain), a, "plain round trip")
            XCTAssertEqual(a * .one, a)
            if !a.isZero { XCTAssertEqual(a * a.inverse, .one) }
            for b in values {
                XCTAssertEqual(a * b, b * a)
                XCTAssertEqual(a * (-b), -(a * b))
                for c in values.prefix(4) {
                    XCTAssertEqual((a * b) * c, a * (b * c))
                    XCTAssertEqual(a * (b + c), a * b + a * c)
                }
            }
        }
        // (p − 1)² = 1: the largest product, every limb's carry taken.
        XCTAssertEqual((-Fp.one) * (-Fp.one), .one)
    }

    /// P + Q for affine Q is the general sum, including Q = P (a doubling), Q = −P and P at infinity.
    func testMixedAdditionMatchesTheGeneralSum() throws {
        let s = try setup()
        let p1 = s.g1.multiplied(by: UInt256(5)), q1 = try XCTUnwrap(s.g1.multiplied(by: UInt256(7)).affine)
        XCTAssertEqual((p1 + q1).affine, (p1 + G1(affine: q1)).affine)
        XCTAssertEqual((p1 + (try XCTUnwrap(p1.affine))).affine, p1.doubled.affine)
        XCTAssertTrue((p1 + (try XCTUnwrap((-p1).affine))).isInfinity)
        XCTAssertEqual((G1.infinity + q1).affine, q1)
        let p2 = s.g2.multiplied(by: UInt256(5)), q2 = try XCTUnwrap(s.g2.multiplied(by: UInt256(7)).affine)
        XCTAssertEqual((p2 + q2).affine, (p2 + G2(affine: q2)).affine)
        XCTAssertEqual((p2 + (try XCTUnwrap(p2.affine))).affine, p2.doubled.affine)
        XCTAssertTrue((p2 + (try XCTUnwrap((-p2).affine))).isInfinity)
    }

    func testBatchAffineMatchesOneByOne() throws {
        let s = try setup()
        let g1s = [s.g1.multiplied(by: UInt256(3)), .infinity, s.g1.multiplied(by: UInt256(11)), .infinity, s.g1]
        XCTAssertEqual(G1.affine(g1s), g1s.map(\.affine))
        let g2s = [G2.infinity, s.g2.multiplied(by: UInt256(13)), s.sG2.doubled]
        XCTAssertEqual(G2.affine(g2s), g2s.map(\.affine))
        XCTAssertEqual(G1.affine([]), [])
        XCTAssertEqual(G1.affine([.infinity, .infinity]), [nil, nil])
    }

    /// The one-inversion affine pair is each point's own affine form, and a point at infinity stays nil.
    func testAffinePairMatchesEachPoint() throws {
        let s = try setup()
        let g1 = s.g1.multiplied(by: UInt256(9)), g2 = s.g2.multiplied(by: UInt256(17))
        let (a1, a2) = KZGPointEvaluation.affine(g1, g2)
        XCTAssertEqual(a1, g1.affine)
        XCTAssertEqual(a2, g2.affine)
        let (b1, b2) = KZGPointEvaluation.affine(.infinity, g2)
        XCTAssertNil(b1)
        XCTAssertEqual(b2, g2.affine)
        let (c1, c2) = KZGPointEvaluation.affine(g1, .infinity)
        XCTAssertEqual(c1, g1.affine)
        XCTAssertNil(c2)
    }

    /// The setup's prepared lines for −G2 pair like −G2 itself: e(kG1, G2)·e(kG1, −G2) = 1, not with (k + 1).
    func testPreparedLinesForMinusG2Pair() throws {
        let s = try setup()
        let lines = try XCTUnwrap(s.minusG2Lines)
        // A tangent per bit below the top of |x| (63) and a chord per set bit below the top (5).
        XCTAssertEqual(lines.coefficients.count, 68)
        let k = UInt256(w0: 0x0123_4567_89AB_CDEF, w1: 42, w2: 0, w3: 0)
        let g2 = try XCTUnwrap(s.g2.affine)
        let kG1 = s.g1.multiplied(by: k).affine, k1G1 = s.g1.multiplied(by: k &+ .one).affine
        XCTAssertTrue(BLS12381.Pairing.productIsOne(prepared: [(kG1, BLS12381.Pairing.Lines(g2)), (kG1, lines)]))
        XCTAssertFalse(BLS12381.Pairing.productIsOne(prepared: [(kG1, BLS12381.Pairing.Lines(g2)), (k1G1, lines)]))
        XCTAssertTrue(BLS12381.Pairing.productIsOne(prepared: [(nil, lines), (kG1, nil)]))
    }
}
