extension BN254 {
    /// Fp12 = Fp2[w]/(w⁶ − ξ) with ξ = 9 + i, as the coefficients of w⁰…w⁵: the pairing's target field.
    /// Products split it as Fp6[w]/(w² − v) with Fp6 = Fp2[v]/(v³ − ξ), v = w², and use Karatsuba.
    struct Fp12: Equatable {
        var c: InlineArray<6, Fp2>

        init(c: InlineArray<6, Fp2>) { self.c = c }

        static func == (x: Fp12, y: Fp12) -> Bool {
            for k in 0..<6 where x.c[k] != y.c[k] { return false }
            return true
        }

        static let one = Fp12(c: [.one, .zero, .zero, .zero, .zero, .zero])

        /// a₀ + a₁v + a₂v² in Fp6: f = (c₀ + c₂v + c₄v²) + (c₁ + c₃v + c₅v²)·w.
        typealias Fp6 = (Fp2, Fp2, Fp2)

        /// Karatsuba in Fp6: six products in Fp2 instead of nine.
        static func times(_ a: Fp6, _ b: Fp6) -> Fp6 {
            let v0 = a.0 * b.0, v1 = a.1 * b.1, v2 = a.2 * b.2
            return (v0 + ((a.1 + a.2) * (b.1 + b.2) - v1 - v2).timesXi,
                    (a.0 + a.1) * (b.0 + b.1) - v0 - v1 + v2.timesXi,
                    (a.0 + a.2) * (b.0 + b.2) - v0 - v2 + v1)
        }

        static func plus(_ a: Fp6, _ b: Fp6) -> Fp6 { (a.0 + b.0, a.1 + b.1, a.2 + b.2) }
        static func minus(_ a: Fp6, _ b: Fp6) -> Fp6 { (a.0 - b.0, a.1 - b.1, a.2 - b.2) }
        /// ·v, as v³ = ξ.
        static func timesV(_ a: Fp6) -> Fp6 { (a.2.timesXi, a.0, a.1) }

        var even: Fp6 { (c[0], c[2], c[4]) }
        var odd: Fp6 { (c[1], c[3], c[5]) }
        static func joined(even: Fp6, odd: Fp6) -> Fp12 { Fp12(c: [even.0, odd.0, even.1, odd.1, even.2, odd.2]) }

        /// (A + Bw)(A' + B'w) = (AA' + v·BB') + ((A + B)(A' + B') − AA' − BB')w: three products in Fp6.
        static func * (x: Fp12, y: Fp12) -> Fp12 {
            let aa = times(x.even, y.even), bb = times(x.odd, y.odd)
            let cross = times(plus(x.even, x.odd), plus(y.even, y.odd))
            return joined(even: plus(aa, timesV(bb)), odd: minus(minus(cross, aa), bb))
        }

        /// self² = (A² + vB²) + 2AB·w, with A² + vB² = (A + B)(A + vB) − AB − v·AB: two products in Fp6.
        var squared: Fp12 {
            let a = even, b = odd
            let ab = Fp12.times(a, b)
            let mixed = Fp12.times(Fp12.plus(a, b), Fp12.plus(a, Fp12.timesV(b)))
            return Fp12.joined(even: Fp12.minus(Fp12.minus(mixed, ab), Fp12.timesV(ab)), odd: Fp12.plus(ab, ab))
        }

        /// f^(p⁶): w ↦ −w (ξ is not a square), the coefficients are fixed.
        var conjugate: Fp12 {
            var r = self
            for k in stride(from: 1, to: 6, by: 2) { r.c[k] = -c[k] }
            return r
        }

        /// f^(p²): coefficients are fixed by p², and w^k gains ξ^(k(p²−1)/6), which lies in Fp.
        var frobeniusSquared: Fp12 {
            var r = self
            for k in 0..<6 { r.c[k] = c[k] * BN254.Pairing.frobenius2[k] }
            return r
        }

        /// f⁻¹ = f̄ / (f·f̄), where f̄ = f^(p⁶) and f·f̄ lies in Fp6 (its odd coefficients vanish), inverted there
        /// by the usual formula. Zero maps to zero.
        var inverse: Fp12 {
            let bar = conjugate
            let n = self * bar
            let a = n.c[0], b = n.c[2], d = n.c[4]
            let ta = a.squared - (b * d).timesXi
            let tb = d.squared.timesXi - a * b
            let td = b.squared - a * d
            let norm = a * ta + (d * tb + b * td).timesXi
            let ni = norm.inverse
            return bar * Fp12(c: [ta * ni, .zero, tb * ni, .zero, td * ni, .zero])
        }

        /// f² for f in the cyclotomic subgroup (where the final exponentiation's easy part lands), by Granger and
        /// Scott: with t = w³ (t² = ξ) the pairs A₀ = c₀ + c₃t, A₁ = c₁ + c₄t, A₂ = c₂ + c₅t lie in Fp4 = Fp2[t],
        /// f = A₀ + A₁w + A₂w², and f² = (3A₀² − 2Ā₀) + (3tA₂² + 2Ā₁)w + (3A₁² − 2Ā₂)w² (Ā: t ↦ −t). Nine squarings
        /// in Fp2 instead of twelve products.
        var cyclotomicSquared: Fp12 {
            /// (a + bt)² = (a² + ξb²) + 2ab·t.
            func fp4Squared(_ a: Fp2, _ b: Fp2) -> (Fp2, Fp2) {
                let a2 = a.squared, b2 = b.squared
                return (a2 + b2.timesXi, (a + b).squared - a2 - b2)
            }
            let (s0, s3) = fp4Squared(c[0], c[3])
            let (s1, s4) = fp4Squared(c[1], c[4])
            let (s2, s5) = fp4Squared(c[2], c[5])
            func triple(_ x: Fp2) -> Fp2 { x + x + x }
            func twice(_ x: Fp2) -> Fp2 { x + x }
            return Fp12(c: [triple(s0) - twice(c[0]), triple(s5.timesXi) + twice(c[1]), triple(s1) - twice(c[2]),
                            triple(s3) + twice(c[3]), triple(s2) - twice(c[4]), triple(s4) + twice(c[5])])
        }

        /// self^e for self in the cyclotomic subgroup and e big-endian, four bits at a time: 14 products for
        /// the table, then per nibble four cyclotomic squarings and at most one product.
        func cyclotomicPower(bigEndian e: [UInt8]) -> Fp12 {
            var table = [Fp12](repeating: .one, count: 16)
            for k in 1..<16 { table[k] = table[k - 1] * self }
            var result = Fp12.one
            for byte in e {
                for nibble in [byte >> 4, byte & 0xF] {
                    result = result.cyclotomicSquared.cyclotomicSquared.cyclotomicSquared.cyclotomicSquared
                    if nibble != 0 { result = result * table[Int(nibble)] }
                }
            }
            return result
        }
    }
}
