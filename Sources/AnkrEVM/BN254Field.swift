import AnkrPrimitives

extension BN254 {
    /// An element of the base field in Montgomery form (a·2^256 mod p), so a product is one
    /// multiply-and-reduce pass over four 64-bit limbs instead of a 512-bit division.
    /// What square-and-multiply needs of a field.
    protocol FieldElement {
        static var one: Self { get }
        static func * (a: Self, b: Self) -> Self
    }

    struct Fp: Equatable, FieldElement {
        var m: UInt256

        static let zero = Fp(m: .zero)
        /// 2^256 mod p: one, in Montgomery form.
        static let one = Fp(m: (UInt256.zero &- BN254.p) % BN254.p)
        /// 2^512 mod p, which turns a plain value into Montgomery form.
        static let r2 = UInt256.mulMod(one.m, one.m, BN254.p)
        /// −p⁻¹ mod 2^64 (Newton's iteration doubles the correct bits each round).
        static let pInv: UInt64 = {
            var inv: UInt64 = 1
            for _ in 0..<6 { inv = inv &* (2 &- BN254.p.w0 &* inv) }
            return 0 &- inv
        }()

        init(m: UInt256) { self.m = m }
        /// A reduced plain value (< p).
        init(_ v: UInt256) { m = Fp.montgomery(v, Fp.r2) }

        /// The plain value.
        var value: UInt256 { Fp.montgomery(m, .one) }
        var isZero: Bool { m.isZero }

        /// a·b·2^-256 mod p (CIOS: interleaved multiplication and reduction).
        static func montgomery(_ a: UInt256, _ b: UInt256) -> UInt256 {
            let p = BN254.p
            let pl = (p.w0, p.w1, p.w2, p.w3)
            let al = (a.w0, a.w1, a.w2, a.w3)
            var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0, t4: UInt64 = 0
            for i in 0..<4 {
                let bi = i == 0 ? b.w0 : i == 1 ? b.w1 : i == 2 ? b.w2 : b.w3
                // t += a · bi
                var (hi, lo) = al.0.multipliedFullWidth(by: bi)
                var (s, o1) = t0.addingReportingOverflow(lo); t0 = s; var c = hi &+ (o1 ? 1 : 0)
                (hi, lo) = al.1.multipliedFullWidth(by: bi)
                (s, o1) = t1.addingReportingOverflow(lo); var (s2, o2) = s.addingReportingOverflow(c); t1 = s2; c = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                (hi, lo) = al.2.multipliedFullWidth(by: bi)
                (s, o1) = t2.addingReportingOverflow(lo); (s2, o2) = s.addingReportingOverflow(c); t2 = s2; c = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                (hi, lo) = al.3.multipliedFullWidth(by: bi)
                (s, o1) = t3.addingReportingOverflow(lo); (s2, o2) = s.addingReportingOverflow(c); t3 = s2; c = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                (s, o1) = t4.addingReportingOverflow(c); t4 = s; let t5: UInt64 = o1 ? 1 : 0
                // t = (t + m·p) / 2^64 with m chosen so the low limb vanishes.
                let mq = t0 &* pInv
                (hi, lo) = mq.multipliedFullWidth(by: pl.0)
                (_, o1) = t0.addingReportingOverflow(lo); c = hi &+ (o1 ? 1 : 0)
                (hi, lo) = mq.multipliedFullWidth(by: pl.1)
                (s, o1) = t1.addingReportingOverflow(lo); (s2, o2) = s.addingReportingOverflow(c); t0 = s2; c = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                (hi, lo) = mq.multipliedFullWidth(by: pl.2)
                (s, o1) = t2.addingReportingOverflow(lo); (s2, o2) = s.addingReportingOverflow(c); t1 = s2; c = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                (hi, lo) = mq.multipliedFullWidth(by: pl.3)
                (s, o1) = t3.addingReportingOverflow(lo); (s2, o2) = s.addingReportingOverflow(c); t2 = s2; c = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                (s, o1) = t4.addingReportingOverflow(c); t3 = s; t4 = t5 &+ (o1 ? 1 : 0)
            }
            let r = UInt256(w0: t0, w1: t1, w2: t2, w3: t3)
            return t4 != 0 || r >= p ? r &- p : r
        }

        static func + (a: Fp, b: Fp) -> Fp {
            let (s, o) = a.m.addingReportingOverflow(b.m)
            return Fp(m: o || s >= BN254.p ? s &- BN254.p : s)
        }
        static func - (a: Fp, b: Fp) -> Fp { Fp(m: a.m >= b.m ? a.m &- b.m : (a.m &+ BN254.p) &- b.m) }
        static prefix func - (a: Fp) -> Fp { a.isZero ? a : Fp(m: BN254.p &- a.m) }
        static func * (a: Fp, b: Fp) -> Fp { Fp(m: montgomery(a.m, b.m)) }

        /// a^(p−2) (Fermat); zero has no inverse and maps to zero.
        var inverse: Fp { power(BN254.p &- UInt256(2)) }
    }

    /// Bit `i` of `e` (0 least significant).
    @inline(__always) static func bit(_ e: UInt256, _ i: Int) -> Bool {
        let limb = i < 64 ? e.w0 : i < 128 ? e.w1 : i < 192 ? e.w2 : e.w3
        return (limb >> UInt64(i & 63)) & 1 == 1
    }

    /// Fp2 = Fp[i]/(i² + 1).
    struct Fp2: Equatable, FieldElement {
        var a: Fp, b: Fp  // a + b·i

        static let zero = Fp2(a: .zero, b: .zero)
        static let one = Fp2(a: .one, b: .zero)
        /// ξ = 9 + i: w⁶ = ξ defines Fp12, and the twist is y² = x³ + 3/ξ.
        static let xi = Fp2(a: Fp(9), b: .one)

        var isZero: Bool { a.isZero && b.isZero }
        var conjugate: Fp2 { Fp2(a: a, b: -b) }

        static func + (x: Fp2, y: Fp2) -> Fp2 { Fp2(a: x.a + y.a, b: x.b + y.b) }
        static func - (x: Fp2, y: Fp2) -> Fp2 { Fp2(a: x.a - y.a, b: x.b - y.b) }
        static prefix func - (x: Fp2) -> Fp2 { Fp2(a: -x.a, b: -x.b) }
        static func * (x: Fp2, y: Fp2) -> Fp2 {
            let v0 = x.a * y.a, v1 = x.b * y.b
            return Fp2(a: v0 - v1, b: (x.a + x.b) * (y.a + y.b) - v0 - v1)
        }
        static func * (x: Fp2, k: Fp) -> Fp2 { Fp2(a: x.a * k, b: x.b * k) }
        /// (a + bi)² = (a + b)(a − b) + 2ab·i: two products.
        var squared: Fp2 {
            let ab = a * b
            return Fp2(a: (a + b) * (a - b), b: ab + ab)
        }
        /// ·ξ = ·(9 + i), with additions only.
        var timesXi: Fp2 {
            let a8 = a + a, a9 = a8 + a8 + a8 + a8 + a, b8 = b + b, b9 = b8 + b8 + b8 + b8 + b
            return Fp2(a: a9 - b, b: a + b9)
        }
        var inverse: Fp2 {
            let t = (a * a + b * b).inverse
            return Fp2(a: a * t, b: -(b * t))
        }
    }
}

extension BN254.FieldElement {
    /// self^e by square-and-multiply.
    func power(_ e: UInt256) -> Self {
        var result = Self.one, base = self
        for i in 0..<e.bitWidth {
            if BN254.bit(e, i) { result = result * base }
            base = base * base
        }
        return result
    }
}
