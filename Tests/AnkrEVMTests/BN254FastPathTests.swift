import AnkrPrimitives
@testable import AnkrEVM
import XCTest

/// The bn254 pairing's faster internals against plain definitions: the Karatsuba Fp12 product against the
/// schoolbook one, the inverse, the cyclotomic squaring and power, and the Jacobian Miller steps against the
/// affine line in the cases that need it.
final class BN254FastPathTests: XCTestCase {
    typealias Fp = BN254.Fp
    typealias Fp2 = BN254.Fp2
    typealias Fp12 = BN254.Fp12
    typealias Pairing = BN254.Pairing

    /// The EIP-197 generator of G2.
    static func generator() throws -> Pairing.G2 {
        let v = try ["10857046999023057135944570762232829481370756359578518086990519993285655852781",
                     "11559732032986387107991004021392285783925812861821192530917403151452391805634",
                     "8495653923123431417604973247489272438418190587263600148770280649306958101930",
                     "4082367875863433681332203403145435568316851327593401208105741076214120093531"].map { try UInt256(parsing: $0) }
        return Pairing.G2(x: Fp2(a: Fp(v[0]), b: Fp(v[1])), y: Fp2(a: Fp(v[2]), b: Fp(v[3])))
    }

    static func element(_ seed: UInt64) -> Fp12 {
        var c = InlineArray<6, Fp2>(repeating: .zero)
        for k in 0..<6 { c[k] = Fp2(a: Fp(UInt256(seed &* 7 &+ UInt64(3 * k + 1))), b: Fp(UInt256(seed &* 13 &+ UInt64(5 * k + 2)))) }
        return Fp12(c: c)
    }

    /// Σ xᵢyⱼ wⁱ⁺ʲ with w⁶ = ξ.
    static func schoolbook(_ x: Fp12, _ y: Fp12) -> Fp12 {
        var r = [Fp2](repeating: .zero, count: 11)
        for i in 0..<6 { for j in 0..<6 { r[i + j] = r[i + j] + x.c[i] * y.c[j] } }
        for k in 0..<5 { r[k] = r[k] + r[k + 6].timesXi }
        return Fp12(c: [r[0], r[1], r[2], r[3], r[4], r[5]])
    }

    func testKaratsubaProductAndSquareMatchTheSchoolbook() {
        let x = Self.element(1), y = Self.element(99)
        XCTAssertEqual(x * y, Self.schoolbook(x, y))
        XCTAssertEqual(x.squared, Self.schoolbook(x, x))
        XCTAssertEqual(Fp2(a: Fp(UInt256(5)), b: Fp(UInt256(8))).squared, Fp2(a: Fp(UInt256(5)), b: Fp(UInt256(8))) * Fp2(a: Fp(UInt256(5)), b: Fp(UInt256(8))))
        XCTAssertEqual(x * Fp12.one, x)
    }

    func testInverse() {
        let x = Self.element(3)
        XCTAssertEqual(x * x.inverse, .one)
        XCTAssertEqual(Fp12.one.inverse, .one)
    }

    /// In the cyclotomic subgroup (the image of the easy part) the cheaper squaring and the windowed power agree
    /// with the generic ones; outside it the squaring does not.
    func testCyclotomicSquaringAndPower() {
        let f = Self.element(5)
        let f1 = f.conjugate * f.inverse
        let g = f1.frobeniusSquared * f1
        XCTAssertEqual(g.cyclotomicSquared, g.squared)
        XCTAssertNotEqual(f.cyclotomicSquared, f.squared)
        var expected = Fp12.one
        for _ in 0..<0x1_2F { expected = expected * g }
        XCTAssertEqual(g.cyclotomicPower(bigEndian: [0x01, 0x2F]), expected)
        XCTAssertEqual(g.cyclotomicPower(bigEndian: []), .one)
    }

    /// A chord from T to T itself, or to −T, has x_T = x_U: the affine line decides (the tangent, or a vertical
    /// line and the point at infinity), exactly as the affine Miller step did.
    func testChordWithEqualXFallsBackToTheAffineLine() throws {
        let q = try Self.generator()
        let px = Fp(UInt256(1)), py = Fp(UInt256(2))
        var t = Pairing.Jacobian(x: q.x, y: q.y, z: .one).doubled
        let zi = t.z.inverse
        let a = Pairing.G2(x: t.x * zi.squared, y: t.y * zi.squared * zi)
        var same = t
        let (tangent, doubled) = Pairing.line(a, a, px: px, py: py)
        XCTAssertEqual(Pairing.chord(&same, a, px: px, py: py), tangent)
        let sameInverse = same.z.inverse
        XCTAssertEqual(same.x * sameInverse.squared, try XCTUnwrap(doubled).x)
        let minus = Pairing.G2(x: a.x, y: -a.y)
        let (vertical, none) = Pairing.line(a, minus, px: px, py: py)
        XCTAssertNil(none)
        XCTAssertEqual(Pairing.chord(&t, minus, px: px, py: py), vertical)
        XCTAssertTrue(t.z.isZero)
        // From infinity a chord is no line, and T becomes U.
        XCTAssertNil(Pairing.chord(&t, q, px: px, py: py))
        XCTAssertEqual(t.x, q.x)
        var infinity = Pairing.Jacobian.infinity
        XCTAssertNil(Pairing.tangent(&infinity, px: px, py: py))
        XCTAssertTrue(infinity.z.isZero)
    }

    /// Vectors from go-ethereum's core/vm/testdata/precompiles/bn256Pairing.json (name, input, whether the check holds).
    static let gethVectors: [(String, String, Bool)] = [
        ("jeff1", "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c678745fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf704bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd0ca2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c2032c61a830e3c17286de9462bf242fca2883585b93870a73853face6a6bf411198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa", true),
        ("jeff6", "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c678745fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf704bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd0ca2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c103188585e2364128fe25c70558f1560f4f9350baf3959e603cc91486e110936198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa", false),
        ("two_point_match_3", "00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002203e205db4f19b37b60121b83a7333706db86431c6d835849957ed8c3928ad7927dc7234fd11d3e8c36c59277c3e6f149d5cd3cfa9a62aee49f8130962b4b3b9195e8aa5b7827463722b8c153931579d3505566b4edf48d498e185f0509de15204bb53b8977e5f92a0bc372742c4830944a59b4fe6b1c0466e2a6dad122b5d2e030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd31a76dae6d3272396d0cbe61fced2bc532edac647851e3ac53ce1cc9c7e645a83198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa", true),
    ]

    func testGethPairingVectors() throws {
        for (name, hex, holds) in Self.gethVectors {
            let r = Pairing.run(try Hex.decode(hex), 1_000_000)
            XCTAssertTrue(r.succeeded, name)
            XCTAssertEqual(r.output, UInt256(holds ? 1 : 0).bigEndianBytes, name)
        }
    }
}
