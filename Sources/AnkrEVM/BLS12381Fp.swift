extension BLS12381 {
    /// An element of the base field in Montgomery form (a·2³⁸⁴ mod p), so a product is one
    /// multiply-and-reduce pass over six limbs.
    struct Fp: Equatable, Sendable {
        var m: Limbs

        init(m: Limbs) { self.m = m }

        /// A plain value, nil unless below p (the encodings must be canonical).
        init?(plain: Limbs) {
            guard isLess(plain, modulus) else { return nil }
            m = Fp.montgomery(plain, Fp.r2)
        }

        init(_ small: UInt64) {
            var plain = Limbs(repeating: 0)
            plain[0] = small
            m = Fp.montgomery(plain, Fp.r2)
        }

        static func == (a: Fp, b: Fp) -> Bool {
            for i in 0..<6 where a.m[i] != b.m[i] { return false }
            return true
        }

        static var zero: Fp { @inline(__always) get { Fp(m: Limbs(repeating: 0)) } }
        /// 2³⁸⁴ mod p: one, in Montgomery form. This and the next two are literals, not computed once,
        /// so the hot paths read them without a lazy-initialisation check (tests recompute them).
        static var one: Fp {
            @inline(__always) get {
                Fp(m: [0x7609_0000_0002_FFFD, 0xEBF4_000B_C40C_0002, 0x5F48_9857_53C7_58BA,
                       0x77CE_5853_7052_5745, 0x5C07_1A97_A256_EC6D, 0x15F6_5EC3_FA80_E493])
            }
        }
        /// 2⁷⁶⁸ mod p, which turns a plain value into Montgomery form.
        static var r2: Limbs {
            @inline(__always) get {
                [0xF4DF_1F34_1C34_1746, 0x0A76_E6A6_09D1_04F1, 0x8DE5_476C_4C95_B6D5,
                 0x67EB_88A9_939D_83C0, 0x9A79_3E85_B519_952D, 0x1198_8FE5_92CA_E3AA]
            }
        }
        /// −p⁻¹ mod 2⁶⁴.
        static var pInv: UInt64 { @inline(__always) get { 0x89F3_FFFC_FFFC_FFFD } }
        static let plainOne: Limbs = [1, 0, 0, 0, 0, 0]
        /// p − 2: a^(p−2) = a⁻¹ (Fermat).
        static let inverseExponent = subtract(modulus, [2, 0, 0, 0, 0, 0]).difference
        /// (p + 1)/4: as p ≡ 3 (mod 4), a^((p+1)/4) is a square root of a whenever one exists.
        static let squareRootExponent = divide(add(modulus, plainOne).sum, by: 4)
        static let half = Fp(2).inverse

        /// x·y + a + b as (high, low) limbs: at most (2⁶⁴ − 1)² + 2(2⁶⁴ − 1) = 2¹²⁸ − 1, so it cannot wrap.
        @inline(__always) static func mac(_ x: UInt64, _ y: UInt64, _ a: UInt64, _ b: UInt64) -> (UInt64, UInt64) {
            let r = UInt128(x) &* UInt128(y) &+ UInt128(a) &+ UInt128(b)
            return (UInt64(truncatingIfNeeded: r &>> 64), UInt64(truncatingIfNeeded: r))
        }

        /// One pass of the product: t ← (t + a·bᵢ + q·p)/2⁶⁴ with q chosen so the low limb vanishes. As p's top
        /// limb is below 2⁶², t stays below 2p and fits six limbs: no seventh carry limb (the "no-carry" CIOS of
        /// gnark-crypto).
        @inline(__always) static func pass(_ a: Limbs, _ bi: UInt64, _ t0: inout UInt64, _ t1: inout UInt64, _ t2: inout UInt64,
                                           _ t3: inout UInt64, _ t4: inout UInt64, _ t5: inout UInt64) {
            var x: UInt64, c: UInt64, u: UInt64
            (x, t0) = mac(a[0], bi, t0, 0)
            let q = t0 &* pInv
            (c, _) = mac(q, 0xB9FE_FFFF_FFFF_AAAB, t0, 0)
            (x, u) = mac(a[1], bi, t1, x); (c, t0) = mac(q, 0x1EAB_FFFE_B153_FFFF, u, c)
            (x, u) = mac(a[2], bi, t2, x); (c, t1) = mac(q, 0x6730_D2A0_F6B0_F624, u, c)
            (x, u) = mac(a[3], bi, t3, x); (c, t2) = mac(q, 0x6477_4B84_F385_12BF, u, c)
            (x, u) = mac(a[4], bi, t4, x); (c, t3) = mac(q, 0x4B1B_A7B6_434B_ACD7, u, c)
            (x, u) = mac(a[5], bi, t5, x); (c, t4) = mac(q, 0x1A01_11EA_397F_E69A, u, c)
            t5 = c &+ x
        }

        /// a·b·2⁻³⁸⁴ mod p (CIOS: interleaved multiplication and reduction), written out pass by pass with
        /// every limb in a local, no loop over an array: the pairing spends most of its time here.
        static func montgomery(_ a: Limbs, _ b: Limbs) -> Limbs {
            var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0, t4: UInt64 = 0, t5: UInt64 = 0
            pass(a, b[0], &t0, &t1, &t2, &t3, &t4, &t5)
            pass(a, b[1], &t0, &t1, &t2, &t3, &t4, &t5)
            pass(a, b[2], &t0, &t1, &t2, &t3, &t4, &t5)
            pass(a, b[3], &t0, &t1, &t2, &t3, &t4, &t5)
            pass(a, b[4], &t0, &t1, &t2, &t3, &t4, &t5)
            pass(a, b[5], &t0, &t1, &t2, &t3, &t4, &t5)
            // t < 2p: subtract p once unless that borrows.
            let r: Limbs = [t0, t1, t2, t3, t4, t5]
            let (d, borrow) = subtract(r, modulus)
            return select(borrow, r, d)
        }

        /// The plain value (below p).
        var plain: Limbs { Fp.montgomery(m, Fp.plainOne) }
        var isZero: Bool { m[0] | m[1] | m[2] | m[3] | m[4] | m[5] == 0 }

        @inline(__always) static func + (a: Fp, b: Fp) -> Fp {
            let (s, carry) = BLS12381.add(a.m, b.m)
            let (d, borrow) = subtract(s, modulus)
            return Fp(m: select(carry || !borrow, d, s))
        }

        @inline(__always) static func - (a: Fp, b: Fp) -> Fp {
            let (d, borrow) = subtract(a.m, b.m)
            return Fp(m: select(borrow, BLS12381.add(d, modulus).sum, d))
        }

        static prefix func - (a: Fp) -> Fp { a.isZero ? a : Fp(m: subtract(modulus, a.m).difference) }
        @inline(__always) static func * (a: Fp, b: Fp) -> Fp { Fp(m: montgomery(a.m, b.m)) }
        var squared: Fp { self * self }

        /// self^e by square-and-multiply over e's 381 bits.
        func power(_ e: Limbs) -> Fp {
            var result = Fp.one
            for i in stride(from: 380, through: 0, by: -1) {
                result = result.squared
                if bit(e, i) { result = result * self }
            }
            return result
        }

        /// self⁻¹; zero has none and maps to zero.
        var inverse: Fp { power(Fp.inverseExponent) }

        /// A square root, nil when self is not a square.
        var squareRoot: Fp? {
            let s = power(Fp.squareRootExponent)
            return s.squared == self ? s : nil
        }

        /// Whether self > (p − 1)/2, i.e. self is the larger of {self, −self}: the sign bit of the
        /// compressed encodings.
        var isLexicographicallyLargest: Bool { isLess((-self).plain, plain) }
    }
}

