extension BLS12381 {
    /// Fp12 = Fp2[w]/(w⁶ − ξ) with ξ = 1 + i, as the coefficients of w⁰…w⁵: the pairing's target field.
    struct Fp12: Equatable, Sendable {
        var c: InlineArray<6, Fp2>

        static func == (x: Fp12, y: Fp12) -> Bool {
            for k in 0..<6 where x.c[k] != y.c[k] { return false }
            return true
        }

        static let one = Fp12(c: [.one, .zero, .zero, .zero, .zero, .zero])

        /// γ = ξ^((p−1)/6): w^p = γ·w, so the Frobenius map multiplies coefficient k by γᵏ.
        static let gamma = Fp2(c0: .one, c1: .one).power(Fp2.sixthExponent)
        static let frobenius1: InlineArray<6, Fp2> = powers(of: gamma)
        /// γ^(p+1), what w gains under f ↦ f^(p²) (it lies in Fp).
        static let frobenius2: InlineArray<6, Fp2> = powers(of: gamma * gamma.conjugate)

        static func powers(of g: Fp2) -> InlineArray<6, Fp2> {
            var r = InlineArray<6, Fp2>(repeating: .one)
            for k in 1..<6 { r[k] = r[k - 1] * g }
            return r
        }

        /// An element a₀ + a₁v + a₂v² of Fp6 = Fp2[v]/(v³ − ξ), v = w²: Fp12 = Fp6[w]/(w² − v) splits
        /// f into c₀ + c₂v + c₄v² and (c₁ + c₃v + c₅v²)·w, which lets products use Karatsuba.
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

        /// x·(p₀ + p₁v): five products in Fp2.
        static func times(_ x: Fp6, sparse p0: Fp2, _ p1: Fp2) -> Fp6 {
            let v0 = x.0 * p0, v1 = x.1 * p1
            return (v0 + (x.2 * p1).timesXi, (x.0 + x.1) * (p0 + p1) - v0 - v1, v1 + x.2 * p0)
        }

        /// self·(a + b·w² + d·w³), the shape of every line the Miller loop evaluates: in the Fp6 split
        /// the line is (a + bv) + (dv)·w, so Karatsuba needs 13 products in Fp2 instead of 18.
        func timesLine(_ a: Fp2, _ b: Fp2, _ d: Fp2) -> Fp12 {
            let x = even, y = odd
            let t0 = Fp12.times(x, sparse: a, b)
            let t: Fp6 = ((y.2 * d).timesXi, y.0 * d, y.1 * d)  // y·(dv)
            let cross = Fp12.times(Fp12.plus(x, y), sparse: a, b + d)
            return Fp12.joined(even: Fp12.plus(t0, Fp12.timesV(t)), odd: Fp12.minus(Fp12.minus(cross, t0), t))
        }

        /// self² = (A + Bw)² = (A² + vB²) + 2AB·w, with A² + vB² = (A + B)(A + vB) − AB − v·AB: two
        /// products in Fp6 (12 in Fp2).
        var squared: Fp12 {
            let a = even, b = odd
            let ab = Fp12.times(a, b)
            let mixed = Fp12.times(Fp12.plus(a, b), Fp12.plus(a, Fp12.timesV(b)))
            return Fp12.joined(even: Fp12.minus(Fp12.minus(mixed, ab), Fp12.timesV(ab)), odd: Fp12.plus(ab, ab))
        }

        /// f^(p⁶): w^(p⁶) = ξ^((p⁶−1)/6)·w = −w and the coefficients are fixed; after the final
        /// exponentiation's easy part this is the inverse.
        var conjugate: Fp12 {
            var r = self
            for k in stride(from: 1, to: 6, by: 2) { r.c[k] = -c[k] }
            return r
        }

        /// f^p.
        var frobenius: Fp12 {
            var r = self
            for k in 0..<6 { r.c[k] = c[k].conjugate * Fp12.frobenius1[k] }
            return r
        }

        /// f^(p²): Fp2 is fixed by p².
        var frobeniusSquared: Fp12 {
            var r = self
            for k in 0..<6 { r.c[k] = c[k] * Fp12.frobenius2[k] }
            return r
        }

        /// f⁻¹ = f̄ / (f·f̄), where f̄ = f^(p⁶) and f·f̄ lies in Fp6 = Fp2[v]/(v³ − ξ), v = w², inverted
        /// there by the usual formula. Zero maps to zero.
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

        /// f² for f in the cyclotomic subgroup (f^(p⁴ − p² + 1) = 1, where the easy part of the final
        /// exponentiation lands), by Granger and Scott: with t = w³ (t² = ξ) the pairs A₀ = c₀ + c₃t, A₁ = c₁ + c₄t, A₂ = c₂ + c₅t lie in
        /// Fp4 = Fp2[t], f = A₀ + A₁w + A₂w², and f² = (3A₀² − 2Ā₀) + (3tA₂² + 2Ā₁)w + (3A₁² − 2Ā₂)w²
        /// (Ā: t ↦ −t). Nine squarings in Fp2 instead of the generic squaring's 15 products and 6 squarings.
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

        /// self^|x| for the curve parameter x, by square-and-multiply over its 64 bits; self must be in
        /// the cyclotomic subgroup (the squarings are ``cyclotomicSquared``).
        var toParameter: Fp12 {
            var result = self
            for i in stride(from: 62, through: 0, by: -1) {
                result = result.cyclotomicSquared
                if (BLS12381.parameter >> UInt64(i)) & 1 == 1 { result = result * self }
            }
            return result
        }
    }
}
