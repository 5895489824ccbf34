import AnkrPrimitives
@testable import AnkrEVM
import XCTest

/// The BLS12-381 arithmetic under the KZG precompile: fields, points, the trusted setup and the pairing.
final class KZGBLS12381Tests: XCTestCase {
    typealias Fp = BLS12381.Fp
    typealias Fp2 = BLS12381.Fp2
    typealias Fp12 = BLS12381.Fp12
    typealias G1 = BLS12381.Point<BLS12381.Fp>
    typealias G2 = BLS12381.Point<BLS12381.Fp2>

    func setup() throws -> KZGTrustedSetup { try KZGTrustedSetup.embedded.get() }

    static func fp(_ hex: String) throws -> Fp { try XCTUnwrap(Fp(plain: BLS12381.limbs(bigEndian: try Hex.decode(hex, count: 48)[...]))) }

    func testFieldInverseAndSquareRoot() throws {
        let a = Fp(123_456_789), b = Fp2(c0: Fp(7), c1: Fp(11))
        XCTAssertEqual(a * a.inverse, .one)
        XCTAssertEqual(b * b.inverse, .one)
        XCTAssertEqual(try XCTUnwrap(a.squared.squareRoot).squared, a.squared)
        XCTAssertEqual(try XCTUnwrap(b.squared.squareRoot).squared, b.squared)
        // −1 is not a square in Fp (p ≡ 3 mod 4), but it is in Fp2 (i² = −1).
        XCTAssertNil((-Fp.one).squareRoot)
        XCTAssertEqual((-Fp2.one).squareRoot?.squared, -Fp2.one)
        XCTAssertEqual(Fp(plain: BLS12381.modulus), nil)
    }

    func testFp12InverseAndFrobenius() {
        var c = InlineArray<6, Fp2>(repeating: .zero)
        for k in 0..<6 { c[k] = Fp2(c0: Fp(UInt64(3 * k + 1)), c1: Fp(UInt64(5 * k + 2))) }
        let f = Fp12(c: c)
        XCTAssertEqual(f * f.inverse, .one)
        XCTAssertEqual(f.squared, f * f)
        XCTAssertEqual(f.frobenius.frobenius, f.frobeniusSquared)
        var twelve = f
        for _ in 0..<12 { twelve = twelve.frobenius }
        XCTAssertEqual(twelve, f)
        XCTAssertNotEqual(f.frobenius, f)
    }

    /// The embedded points are the curve's standard generators and a [s]G2 in G2.
    func testTrustedSetupHoldsTheGeneratorsAndSG2() throws {
        let s = try setup()
        let g1 = try XCTUnwrap(s.g1.affine)
        XCTAssertEqual(g1.x, try Self.fp("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"))
        let g2 = try XCTUnwrap(s.g2.affine)
        XCTAssertEqual(g2.x.c0, try Self.fp("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"))
        let sg2 = try XCTUnwrap(s.sG2.affine)
        XCTAssertEqual(sg2.y.squared, sg2.x.squared * sg2.x + Fp2.curveB)
        XCTAssertTrue(s.sG2.isInSubgroup)
    }

    func testTrustedSetupTextIsCheckedLineByLine() {
        XCTAssertThrowsError(try KZGTrustedSetup(text: Array("g1 00 extra\n".utf8))) {
            XCTAssertEqual($0 as? KZGTrustedSetupError, .malformedLine("g1 00 extra"))
        }
        XCTAssertThrowsError(try KZGTrustedSetup(text: Array("# nothing\n".utf8))) {
            XCTAssertEqual($0 as? KZGTrustedSetupError, .missingPoint("g1"))
        }
        XCTAssertThrowsError(try KZGTrustedSetup(text: Array("g1 zz\n".utf8))) {
            XCTAssertEqual($0 as? KZGTrustedSetupError, .notHex("g1"))
        }
        let g2 = "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
            + "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        let unflagged = "\(String(repeating: "00", count: 48))\ng2 \(g2)\ns_g2 \(g2)\n"
        XCTAssertThrowsError(try KZGTrustedSetup(text: Array("g1 \(unflagged)".utf8))) {
            XCTAssertEqual($0 as? KZGTrustedSetupError, .badPoint("g1", .notCompressed))
        }
        // A G2 x whose imaginary half is p: not canonical.
        let p = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
        let g1 = "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
        let badG2 = "9a" + p.dropFirst(2) + String(repeating: "00", count: 48)
        XCTAssertThrowsError(try KZGTrustedSetup(text: Array("g1 \(g1)\ng2 \(badG2)\ns_g2 \(g2)\n".utf8))) {
            XCTAssertEqual($0 as? KZGTrustedSetupError, .badPoint("g2", .coordinateNotBelowModulus))
        }
        XCTAssertNoThrow(try KZGTrustedSetup(text: Array("g1 \(g1)\ng2 \(g2)\ns_g2 \(g2)\n".utf8)))
    }

    func testPairingIsBilinearAndNonDegenerate() throws {
        let s = try setup()
        let p = s.g1, q = s.g2
        let k = UInt256(0x1234_5678_9ABC)
        // e(k·P, Q) · e(P, −k·Q) = 1.
        XCTAssertTrue(BLS12381.Pairing.productIsOne([(p.multiplied(by: k).affine, q.affine),
                                                     (p.affine, (-q.multiplied(by: k)).affine)]))
        // e(P, Q) ≠ 1, and e(k·P, Q) · e(P, −(k+1)·Q) ≠ 1.
        XCTAssertFalse(BLS12381.Pairing.productIsOne([(p.affine, q.affine)]))
        XCTAssertFalse(BLS12381.Pairing.productIsOne([(p.multiplied(by: k).affine, q.affine),
                                                      (p.affine, (-q.multiplied(by: k &+ .one)).affine)]))
        // A pair with the point at infinity contributes 1.
        XCTAssertTrue(BLS12381.Pairing.productIsOne([(nil, q.affine)]))
    }

    /// The literal Montgomery constants are what they stand for.
    func testMontgomeryConstants() {
        XCTAssertEqual(BLS12381.modulus[0] &* Fp.pInv, UInt64.max)  // p·(−p⁻¹) ≡ −1 (mod 2⁶⁴)
        func array(_ l: BLS12381.Limbs) -> [UInt64] { (0..<6).map { l[$0] } }
        XCTAssertEqual(array(Fp.one.plain), [1, 0, 0, 0, 0, 0])
        XCTAssertEqual(Fp(1), .one)  // 1·R²·R⁻¹ = R
        XCTAssertEqual(Fp(6) * Fp(7), Fp(42))
        XCTAssertEqual(array(Fp(42).plain), [42, 0, 0, 0, 0, 0])
        XCTAssertTrue(Fp.zero.isZero)
        XCTAssertFalse(Fp.one.isZero)
    }

    /// An element of the cyclotomic subgroup, as the final exponentiation's easy part makes them.
    static func cyclotomic(_ f: Fp12) -> Fp12 {
        let f1 = f.conjugate * f.inverse
        return f1.frobeniusSquared * f1
    }

    static func sample() -> Fp12 {
        var c = InlineArray<6, Fp2>(repeating: .zero)
        for k in 0..<6 { c[k] = Fp2(c0: Fp(UInt64(7 * k + 3)), c1: Fp(UInt64(2 * k + 9))) }
        return Fp12(c: c)
    }

    /// The Karatsuba product and squaring against the schoolbook product in w (w⁶ = ξ).
    func testFp12ProductMatchesSchoolbook() {
        let f = Self.sample(), g = Self.cyclotomic(f)
        var r = [Fp2](repeating: .zero, count: 11)
        for i in 0..<6 {
            for j in 0..<6 { r[i + j] = r[i + j] + f.c[i] * g.c[j] }
        }
        var c = InlineArray<6, Fp2>(repeating: .zero)
        for k in 0..<6 { c[k] = k < 5 ? r[k] + r[k + 6].timesXi : r[k] }
        XCTAssertEqual(f * g, Fp12(c: c))
        XCTAssertEqual(f.squared, f * f)
        XCTAssertNotEqual(f * g, g * g)
        let (a, b, d) = (g.c[0], g.c[1], g.c[5])
        XCTAssertEqual(f.timesLine(a, b, d), f * Fp12(c: [a, .zero, b, d, .zero, .zero]))
    }

    func testCyclotomicSquaringEqualsSquaringInTheCyclotomicSubgroup() {
        let f = Self.sample()
        let g = Self.cyclotomic(f)
        XCTAssertEqual(g.cyclotomicSquared, g.squared)
        XCTAssertEqual(g.cyclotomicSquared.cyclotomicSquared, g.squared.squared)
        // Outside the subgroup the shortcut does not hold: the formula really depends on it.
        XCTAssertNotEqual(f.cyclotomicSquared, f.squared)
        // toParameter (cyclotomic squarings) against plain square-and-multiply.
        var expected = g
        for i in stride(from: 62, through: 0, by: -1) {
            expected = expected.squared
            if (BLS12381.parameter >> UInt64(i)) & 1 == 1 { expected = expected * g }
        }
        XCTAssertEqual(g.toParameter, expected)
    }

    /// The endomorphism test agrees with multiplication by r: on G1 points, and on curve points
    /// outside G1 (x = 4 and x = 5 are on the curve but not in G1; h·P clears the cofactor).
    func testG1EndomorphismSubgroupCheck() throws {
        let beta = G1.beta
        XCTAssertNotEqual(beta, .one)
        XCTAssertEqual(beta * beta * beta, .one)
        let g = try setup().g1
        XCTAssertTrue(g.isInG1)
        XCTAssertTrue(g.multiplied(by: UInt256(0xDEAD_BEEF_1234)).isInG1)
        XCTAssertTrue(G1.infinity.isInG1)
        // −g and g + g: the sign and doubling paths.
        XCTAssertTrue((-g).isInG1)
        XCTAssertTrue(g.doubled.isInG1)
        let cofactor = UInt256(w0: 0x8C00_AAAB_0000_AAAB, w1: 0x396C_8C00_5555_E156, w2: 0, w3: 0)
        for x in [UInt64(4), 5] {
            let fx = Fp(x)
            let y = try XCTUnwrap((fx.squared * fx + Fp.curveB).squareRoot)
            let p = G1(x: fx, y: y, z: .one)
            XCTAssertFalse(p.isInSubgroup)
            XCTAssertFalse(p.isInG1)
            XCTAssertFalse((-p).isInG1)
            let cleared = p.multiplied(by: cofactor)
            XCTAssertTrue(cleared.isInSubgroup)
            XCTAssertTrue(cleared.isInG1)
            // A G1 point plus a point outside G1 is outside G1.
            XCTAssertFalse((cleared + p).isInG1)
        }
    }

    /// The fixed-base tables give the same multiples as double-and-add, at the window edges too.
    func testFixedBaseTablesMatchDoubleAndAdd() throws {
        let s = try setup()
        let scalars: [UInt256] = [.zero, .one, UInt256(15), UInt256(16), UInt256(0xF0F0_0001),
                                  UInt256(w0: 0x0123_4567_89AB_CDEF, w1: 0xFEDC_BA98_7654_3210, w2: 0xFFFF_FFFF_FFFF_FFFF, w3: 0x1000_0000_0000_0001),
                                  BLS12381.order &- .one, BLS12381.order]
        for k in scalars {
            XCTAssertEqual(s.g1Multiples.multiplied(by: k).affine, s.g1.multiplied(by: k).affine, "\(k)")
            XCTAssertEqual(s.g2Multiples.multiplied(by: k).affine, s.g2.multiplied(by: k).affine, "\(k)")
        }
        XCTAssertNil(s.g1Multiples.multiplied(by: BLS12381.order).affine)
    }

    func testGeneratorHasOrderR() throws {
        let s = try setup()
        XCTAssertTrue(s.g1.multiplied(by: BLS12381.order).isInfinity)
        XCTAssertFalse(s.g1.multiplied(by: BLS12381.order &- .one).isInfinity)
    }
}
