extension BLS12381 {
    /// Fp2 = Fp[i]/(i² + 1), the field of G2's coordinates.
    struct Fp2: Equatable, Sendable {
        var c0: Fp, c1: Fp  // c0 + c1·i

        static var zero: Fp2 { @inline(__always) get { Fp2(c0: .zero, c1: .zero) } }
        static var one: Fp2 { @inline(__always) get { Fp2(c0: .one, c1: .zero) } }
        /// (p − 1)/6, the exponent of the Frobenius constants ξ^((p−1)/6).
        static let sixthExponent = divide(subtract(modulus, Fp.plainOne).difference, by: 6)

        var isZero: Bool { c0.isZero && c1.isZero }
        var conjugate: Fp2 { Fp2(c0: c0, c1: -c1) }
        var squared: Fp2 {
            let t = c0 * c1
            return Fp2(c0: (c0 + c1) * (c0 - c1), c1: t + t)
        }
        /// ·ξ where ξ = 1 + i (w⁶ = ξ defines Fp12; the twist is y² = x³ + 4ξ).
        var timesXi: Fp2 { Fp2(c0: c0 - c1, c1: c0 + c1) }

        static func + (x: Fp2, y: Fp2) -> Fp2 { Fp2(c0: x.c0 + y.c0, c1: x.c1 + y.c1) }
        static func - (x: Fp2, y: Fp2) -> Fp2 { Fp2(c0: x.c0 - y.c0, c1: x.c1 - y.c1) }
        static prefix func - (x: Fp2) -> Fp2 { Fp2(c0: -x.c0, c1: -x.c1) }
        static func * (x: Fp2, y: Fp2) -> Fp2 {
            let v0 = x.c0 * y.c0, v1 = x.c1 * y.c1
            return Fp2(c0: v0 - v1, c1: (x.c0 + x.c1) * (y.c0 + y.c1) - v0 - v1)
        }
        static func * (x: Fp2, k: Fp) -> Fp2 { Fp2(c0: x.c0 * k, c1: x.c1 * k) }

        /// self⁻¹ through the norm c0² + c1² (in Fp); zero maps to zero.
        var inverse: Fp2 {
            let t = (c0.squared + c1.squared).inverse
            return Fp2(c0: c0 * t, c1: -(c1 * t))
        }

        func power(_ e: Limbs) -> Fp2 {
            var result = Fp2.one
            for i in stride(from: 380, through: 0, by: -1) {
                result = result.squared
                if bit(e, i) { result = result * self }
            }
            return result
        }

        /// A square root, nil when self is not a square. With n = √(c0² + c1²) in Fp, a root is
        /// a + b·i where a² = (c0 ± n)/2 (whichever is a square) and b = c1/(2a); the result is
        /// checked by squaring, so a wrong branch can only give nil, never a wrong root.
        var squareRoot: Fp2? {
            let candidate: Fp2
            if c1.isZero {
                // −1 is not a square in Fp (p ≡ 3 mod 4): c0 or −c0 has a root.
                if let a = c0.squareRoot {
                    candidate = Fp2(c0: a, c1: .zero)
                } else if let b = (-c0).squareRoot {
                    candidate = Fp2(c0: .zero, c1: b)
                } else {
                    return nil
                }
            } else {
                guard let n = (c0.squared + c1.squared).squareRoot else { return nil }
                guard let a = ((c0 + n) * Fp.half).squareRoot ?? ((c0 - n) * Fp.half).squareRoot, !a.isZero else { return nil }
                candidate = Fp2(c0: a, c1: c1 * (a + a).inverse)
            }
            return candidate.squared == self ? candidate : nil
        }

        /// The sign bit of a compressed G2 point: the imaginary part decides unless it is zero.
        var isLexicographicallyLargest: Bool { c1.isZero ? c0.isLexicographicallyLargest : c1.isLexicographicallyLargest }
    }
}
