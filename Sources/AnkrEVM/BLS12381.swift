import AnkrPrimitives

/// The BLS12-381 curve, as much of it as the KZG point evaluation (precompile 0x0a, EIP-4844) needs:
/// the base field and its tower up to Fp12 (``Fp``, ``Fp2``, ``Fp12``), points of G1 (over Fp) and G2
/// (over Fp2, on the twist y² = x³ + 4(1 + i)) in ZCash's compressed encoding, fixed-base tables for
/// multiplying the setup's generators, and the pairing check.
enum BLS12381 {
    /// A 381-bit number as six 64-bit limbs, least significant first.
    typealias Limbs = InlineArray<6, UInt64>

    /// The base field's modulus p. Computed from literals rather than stored: a stored global would go
    /// through a lazy-initialisation check on every access, and the field arithmetic reads it constantly.
    static var modulus: Limbs {
        @inline(__always) get {
            [0xB9FE_FFFF_FFFF_AAAB, 0x1EAB_FFFE_B153_FFFF, 0x6730_D2A0_F6B0_F624,
             0x6477_4B84_F385_12BF, 0x4B1B_A7B6_434B_ACD7, 0x1A01_11EA_397F_E69A]
        }
    }

    /// r, the order of G1 and G2 (the scalar field of KZG's polynomials).
    static let order = UInt256(w0: 0xFFFF_FFFF_0000_0001, w1: 0x53BD_A402_FFFE_5BFE, w2: 0x3339_D808_09A1_D805,
                               w3: 0x73ED_A753_299D_7D48)

    /// |x| for the curve parameter x = −0xd201000000010000: the Miller loop runs over its bits, and the
    /// final exponentiation's hard part is a chain of powers by it.
    static let parameter: UInt64 = 0xD201_0000_0001_0000

    // Written out limb by limb (constant indices, no loop): the field arithmetic's inner operations.
    @inline(__always) static func isLess(_ a: Limbs, _ b: Limbs) -> Bool {
        if a[5] != b[5] { return a[5] < b[5] }
        if a[4] != b[4] { return a[4] < b[4] }
        if a[3] != b[3] { return a[3] < b[3] }
        if a[2] != b[2] { return a[2] < b[2] }
        if a[1] != b[1] { return a[1] < b[1] }
        return a[0] < b[0]
    }

    /// a + b + carry as (sum, carry out), carry in and out 0 or 1. The carries are integers, not
    /// Bools joined by `||`, so the chains compile without branches.
    @inline(__always) static func addCarrying(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (s1, o1) = a.addingReportingOverflow(b)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        return (s2, (o1 ? 1 : 0) | (o2 ? 1 : 0))
    }

    /// a − b − borrow as (difference, borrow out), borrow in and out 0 or 1.
    @inline(__always) static func subtractBorrowing(_ a: UInt64, _ b: UInt64, _ borrow: UInt64) -> (UInt64, UInt64) {
        let (d1, o1) = a.subtractingReportingOverflow(b)
        let (d2, o2) = d1.subtractingReportingOverflow(borrow)
        return (d2, (o1 ? 1 : 0) | (o2 ? 1 : 0))
    }

    @inline(__always) static func add(_ a: Limbs, _ b: Limbs) -> (sum: Limbs, carry: Bool) {
        let (r0, c0) = addCarrying(a[0], b[0], 0)
        let (r1, c1) = addCarrying(a[1], b[1], c0)
        let (r2, c2) = addCarrying(a[2], b[2], c1)
        let (r3, c3) = addCarrying(a[3], b[3], c2)
        let (r4, c4) = addCarrying(a[4], b[4], c3)
        let (r5, c5) = addCarrying(a[5], b[5], c4)
        return ([r0, r1, r2, r3, r4, r5], c5 != 0)
    }

    @inline(__always) static func subtract(_ a: Limbs, _ b: Limbs) -> (difference: Limbs, borrow: Bool) {
        let (r0, c0) = subtractBorrowing(a[0], b[0], 0)
        let (r1, c1) = subtractBorrowing(a[1], b[1], c0)
        let (r2, c2) = subtractBorrowing(a[2], b[2], c1)
        let (r3, c3) = subtractBorrowing(a[3], b[3], c2)
        let (r4, c4) = subtractBorrowing(a[4], b[4], c3)
        let (r5, c5) = subtractBorrowing(a[5], b[5], c4)
        return ([r0, r1, r2, r3, r4, r5], c5 != 0)
    }

    /// `first` when `takeFirst`, else `second`, by masks rather than a branch: which one the field
    /// operations keep depends on the data, so a branch would be mispredicted half the time.
    @inline(__always) static func select(_ takeFirst: Bool, _ first: Limbs, _ second: Limbs) -> Limbs {
        let mask: UInt64 = takeFirst ? .max : 0
        var r = second
        for i in 0..<6 { r[i] = (first[i] & mask) | (second[i] & ~mask) }
        return r
    }

    /// a / d, rounded down, for the small divisors the field's exponents need.
    static func divide(_ a: Limbs, by d: UInt64) -> Limbs {
        var r = Limbs(repeating: 0)
        var remainder: UInt64 = 0
        for i in stride(from: 5, through: 0, by: -1) {
            let (q, rem) = d.dividingFullWidth((high: remainder, low: a[i]))
            r[i] = q
            remainder = rem
        }
        return r
    }

    static func bit(_ a: Limbs, _ i: Int) -> Bool { (a[i >> 6] >> UInt64(i & 63)) & 1 == 1 }

    /// Six limbs from 48 big-endian bytes.
    static func limbs(bigEndian bytes: ArraySlice<UInt8>) -> Limbs {
        var r = Limbs(repeating: 0)
        let start = bytes.startIndex
        for i in 0..<48 {
            let limb = 5 - i / 8
            r[limb] = r[limb] << 8 | UInt64(bytes[start + i])
        }
        return r
    }

    /// Bit `i` of a scalar (0 least significant).
    static func bit(_ e: UInt256, _ i: Int) -> Bool {
        let limb = i < 64 ? e.w0 : i < 128 ? e.w1 : i < 192 ? e.w2 : e.w3
        return (limb >> UInt64(i & 63)) & 1 == 1
    }
}
