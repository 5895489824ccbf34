extension BLS12381.Pairing {
    /// The Miller loop's lines for one G2 point Q, without P: each as (a, b, d) where the line at P is
    /// a + (b·px)·w² + (d·py)·w³. They depend on Q alone, so a fixed Q (the setup's −G2) is prepared once and
    /// its loop costs only the evaluations at P; a varying Q is prepared per check at the old cost.
    struct Lines: Sendable {
        typealias Fp2 = BLS12381.Fp2

        /// In the loop's order: a tangent per bit of |x| below the top, then a chord where the bit is set.
        let coefficients: [(Fp2, Fp2, Fp2)]

        /// Walks T = Q, 2Q, … over the bits of |x|. For Q in G2 and |x| < r, T is never ±Q or the point at
        /// infinity within the loop, so no line is vertical.
        init(_ q: G2) {
            var lines: [(Fp2, Fp2, Fp2)] = []
            lines.reserveCapacity(69)
            var t = BLS12381.Point<Fp2>(affine: q)
            for i in stride(from: 62, through: 0, by: -1) {
                lines.append(Self.tangent(&t))
                if (BLS12381.parameter >> UInt64(i)) & 1 == 1 { lines.append(Self.chord(&t, q)) }
            }
            coefficients = lines
        }

        /// The tangent at T (Jacobian, x = X/Z², y = Y/Z³), and T doubled, sharing X², Y² and 2YZ. With slope
        /// λ = 3x²/(2y) on the twist the line on E is y − yₜ/w³ − (λ/w)(x − xₜ/w²); times w³ and 2YZ³ (factors in
        /// proper subfields, which the final exponentiation removes) it is
        /// (3X³ − 2Y²) − 3X²Z²·px·w² + 2YZ³·py·w³: no inversion.
        static func tangent(_ t: inout BLS12381.Point<Fp2>) -> (Fp2, Fp2, Fp2) {
            let x2 = t.x.squared, y2 = t.y.squared, z2 = t.z.squared
            let x2three = x2 + x2 + x2
            let yz = (t.y + t.y) * t.z
            let line = (x2three * t.x - y2 - y2, -(x2three * z2), yz * z2)
            if t.z.isZero || t.y.isZero {
                t = .infinity
            } else {
                // Doubling as in Point.doubled, with a = X², b = Y², e = 3a and Z₃ = 2YZ taken from above.
                let c = y2.squared
                let xb = (t.x + y2).squared - x2 - c
                let d = xb + xb
                let x3 = x2three.squared - d - d
                let c2 = c + c, c4 = c2 + c2, c8 = c4 + c4
                t = BLS12381.Point(x: x3, y: x2three * (d - x3) - c8, z: yz)
            }
            return line
        }

        /// The line through T (Jacobian) and Q (affine), and T + Q. Through Q with slope λ = N/D,
        /// N = y_Q·Z³ − Y, D = Z(x_Q·Z² − X), times w³ and D: (N·x_Q − D·y_Q) − N·px·w² + D·py·w³.
        static func chord(_ t: inout BLS12381.Point<Fp2>, _ q: G2) -> (Fp2, Fp2, Fp2) {
            let z2 = t.z.squared
            let n = q.y * z2 * t.z - t.y, d = t.z * (q.x * z2 - t.x)
            t = t + q
            return (n * q.x - d * q.y, -n, d)
        }
    }
}
