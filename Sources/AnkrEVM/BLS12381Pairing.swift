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
            finalExponentiationIsOne(miller(pairs.compactMap { p, q in p.flatMap { p in q.map { (p, $0) } } }))
        }

        /// The tangent at T (Jacobian, x = X/Z², y = Y/Z³) evaluated at P, as (a, b, d) of
        /// a + b·w² + d·w³. With slope λ = 3x²/(2y) on the twist the line on E is
        /// y − yₜ/w³ − (λ/w)(x − xₜ/w²); times w³ and 2YZ³ (factors in proper subfields, which the
        /// final exponentiation removes) it is (3X³ − 2Y²) − 3X²Z²·px·w² + 2YZ³·py·w³: no inversion.
        static func tangent(_ t: Point<Fp2>, _ p: G1) -> (Fp2, Fp2, Fp2) {
            let x2 = t.x.squared, y2 = t.y.squared, z2 = t.z.squared
            let x2three = x2 + x2 + x2
            return (x2three * t.x - y2 - y2, -(x2three * z2 * p.x), (t.y + t.y) * t.z * z2 * p.y)
        }

        /// The line through T (Jacobian) and Q (affine) evaluated at P, in the same shape. Through Q
        /// with slope λ = N/D, N = y_Q·Z³ − Y, D = Z(x_Q·Z² − X), times w³ and D:
        /// (N·x_Q − D·y_Q) − N·px·w² + D·py·w³.
        static func chord(_ t: Point<Fp2>, _ q: G2, _ p: G1) -> (Fp2, Fp2, Fp2) {
            let z2 = t.z.squared
            let n = q.y * z2 * t.z - t.y, d = t.z * (q.x * z2 - t.x)
            return (n * q.x - d * q.y, -(n * p.x), d * p.y)
        }

        /// ∏ f_{|x|,Qᵢ}(Pᵢ), the loops run side by side so they share one squaring per step. For Q in
        /// G2 and |x| < r, T = kQ is never ±Q or the point at infinity within the loop, so no line is
        /// vertical (one would make f zero and the check fail).
        static func miller(_ pairs: [(G1, G2)]) -> Fp12 {
            var f = Fp12.one
            var ts = pairs.map { Point<Fp2>(affine: $0.1) }
            for i in stride(from: 62, through: 0, by: -1) {
                f = f.squared
                for k in pairs.indices {
                    let (a, b, d) = tangent(ts[k], pairs[k].0)
                    f = f.timesLine(a, b, d)
                    ts[k] = ts[k].doubled
                }
                if (parameter >> UInt64(i)) & 1 == 1 {
                    for k in pairs.indices {
                        let (p, q) = pairs[k]
                        let (a, b, d) = chord(ts[k], q, p)
                        f = f.timesLine(a, b, d)
                        ts[k] = ts[k] + Point<Fp2>(affine: q)
                    }
                }
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
