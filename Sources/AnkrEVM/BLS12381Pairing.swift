extension BLS12381 {
    /// The pairing check: whether ∏ e(Pᵢ, Qᵢ) = 1 for G1 points Pᵢ and G2 points Qᵢ.
    ///
    /// The optimal ate pairing: a Miller loop over |x| with Q kept on the twist E': y² = x³ + 4ξ
    /// (ψ(x, y) = (x/w², y/w³) maps it into E(Fp12), so lines at P are sparse), then the final
    /// exponentiation to (p¹² − 1)/r. x is negative, which would conjugate each Miller value: that
    /// inverts the result, and the check against 1 does not care, so it is left out.
    enum Pairing {
        typealias G1 = Point<Fp>.Affine
        typealias G2 = Point<Fp2>.Affine

        /// Whether ∏ e(Pᵢ, Qᵢ) = 1; a pair with a point at infinity (nil) contributes 1.
        static func productIsOne(_ pairs: [(G1?, G2?)]) -> Bool {
            productIsOne(prepared: pairs.map { p, q in (p, q.map(Lines.init)) })
        }

        /// The same with each Q given by its prepared lines (nil: the point at infinity).
        static func productIsOne(prepared pairs: [(G1?, Lines?)]) -> Bool {
            finalExponentiationIsOne(miller(pairs.compactMap { p, q in p.flatMap { p in q.map { (p, $0) } } }))
        }

        /// ∏ f_{|x|,Qᵢ}(Pᵢ), the loops run side by side so they share one squaring per step: each step
        /// multiplies in every pair's next line, evaluated at its P.
        static func miller(_ pairs: [(G1, Lines)]) -> Fp12 {
            var f = Fp12.one
            var next = 0
            for i in stride(from: 62, through: 0, by: -1) {
                f = f.squared
                f = timesLines(f, pairs, next)
                next += 1
                if (parameter >> UInt64(i)) & 1 == 1 {
                    f = timesLines(f, pairs, next)
                    next += 1
                }
            }
            return f
        }

        /// f times line `index` of every pair, at that pair's P.
        @inline(__always) static func timesLines(_ f: Fp12, _ pairs: [(G1, Lines)], _ index: Int) -> Fp12 {
            var f = f
            for (p, lines) in pairs {
                let (a, b, d) = lines.coefficients[index]
                f = f.timesLine(a, b * p.x, d * p.y)
            }
            return f
        }

        /// Whether f^((p¹² − 1)/r) = 1. The easy part g = f^((p⁶ − 1)(p² + 1)) lands in the
        /// cyclotomic subgroup, where the conjugate is the inverse; the hard part uses
        /// 3(p⁴ − p² + 1)/r = (x − 1)²(x + p)(x² + p² − 1) + 3 (Hayashida, Hayasaka and Teruya),
        /// and as r ≠ 3 is prime, g^(3h) = 1 exactly when g^h = 1.
        static func finalExponentiationIsOne(_ f: Fp12) -> Bool {
            let f1 = f.conjugate * f.inverse
            let g = f1.frobeniusSquared * f1
            // g^x = conj(g^|x|) as x < 0.
            func toX(_ a: Fp12) -> Fp12 { a.toParameter.conjugate }
            let a = toX(g) * g.conjugate  // g^(x−1)
            let b = toX(a) * a.conjugate  // g^((x−1)²)
            let c = toX(b) * b.frobenius  // ·(x + p)
            let d = toX(toX(c)) * c.frobeniusSquared * c.conjugate  // ·(x² + p² − 1)
            return d * g.cyclotomicSquared * g == .one
        }
    }
}
