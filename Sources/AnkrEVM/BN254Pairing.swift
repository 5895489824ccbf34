import AnkrPrimitives

extension BN254 {
    /// The bn254 pairing check, precompile 0x08 (EIP-197, EIP-1108 prices): for pairs (Pᵢ, Qᵢ) of G1
    /// and G2 points, whether ∏ e(Pᵢ, Qᵢ) = 1 — what zk-SNARK verifiers call.
    ///
    /// The optimal ate pairing: a Miller loop over 6u + 2 with Q kept on the sextic twist
    /// E': y² = x³ + 3/ξ over Fp2 (lines evaluated at P are sparse in Fp12), two Frobenius lines,
    /// then the final exponentiation to (p¹² − 1)/n.
    enum Pairing {
        /// The order of G1 and G2.
        static let n = UInt256(w0: 0x43E1F593F0000001, w1: 0x2833E84879B97091, w2: 0xB85045B68181585D, w3: 0x30644E72E131A029)
        /// 6u + 2 for u = 4965661367192848881, the ate loop count (65 bits).
        static let loop = UInt256(w0: 0x9D797039BE763BA8, w1: 0x1, w2: 0, w3: 0)
        /// The twist's b: 3/ξ.
        static let twistB = Fp2(a: Fp(3), b: .zero) * Fp2.xi.inverse
        /// ξ^((p−1)/6); its powers are the Frobenius constants.
        static let gamma = Fp2.xi.power((BN254.p &- .one) / UInt256(6))
        /// ξ^((p²−1)/6) = γ·γ^p (the norm of γ).
        static let gamma2 = gamma * gamma.conjugate
        /// ξ^(k(p²−1)/6) for k = 0…5: what w^k gains under f ↦ f^(p²).
        static let frobenius2: [Fp2] = (0..<6).reduce(into: [Fp2]()) { acc, _ in acc.append(acc.last.map { $0 * gamma2 } ?? .one) }
        /// (p⁴ − p² + 1)/n, the hard part of the final exponent, big-endian (were it empty, every check
        /// would pass: the non-degeneracy test would catch it).
        static let hardExponent: [UInt8] = (try? Hex.decode(
            "0x01baaa710b0759ad331ec15183177faf6c0eb522d5b122784e529a5861876f6b3b1b1355d189227d79581e16f3fd90c66b887d56d5095f23aaa441e3954bcf8adcc7b44c87cdbacff1154e7e1da014fd5abf5cc4f49c36d4e81bb482ccdf42b1")) ?? []

        /// A point on the twist in affine coordinates (nil is the point at infinity).
        struct G2: Equatable { var x: Fp2; var y: Fp2 }

        static func isOnTwist(_ q: G2) -> Bool { q.y.squared == q.x.squared * q.x + twistB }

        /// Whether n·q is the point at infinity: the twist has points outside G2, which must be refused.
        /// Jacobian coordinates, so the 254 doublings need no field inversion.
        static func isInSubgroup(_ q: G2) -> Bool {
            let base = Jacobian(x: q.x, y: q.y, z: .one)
            var result = Jacobian.infinity
            for i in stride(from: n.bitWidth - 1, through: 0, by: -1) {
                result = result.doubled
                if BN254.bit(n, i) { result = result + base }
            }
            return result.z.isZero
        }

        /// (X, Y, Z) for the twist point (X/Z², Y/Z³); Z = 0 is the point at infinity.
        struct Jacobian {
            var x: Fp2, y: Fp2, z: Fp2
            static let infinity = Jacobian(x: .one, y: .one, z: .zero)

            var doubled: Jacobian {
                if z.isZero || y.isZero { return .infinity }
                let a = x.squared, b = y.squared, c = b.squared
                let xb = (x + b).squared - a - c
                let d = xb + xb
                let e = a + a + a
                let x3 = e.squared - d - d
                let c2 = c + c, c4 = c2 + c2, c8 = c4 + c4
                return Jacobian(x: x3, y: e * (d - x3) - c8, z: (y + y) * z)
            }

            static func + (p: Jacobian, q: Jacobian) -> Jacobian {
                if p.z.isZero { return q }
                if q.z.isZero { return p }
                let z1z1 = p.z.squared, z2z2 = q.z.squared
                let u1 = p.x * z2z2, u2 = q.x * z1z1
                let s1 = p.y * q.z * z2z2, s2 = q.y * p.z * z1z1
                if u1 == u2 { return s1 == s2 ? p.doubled : .infinity }
                let h = u2 - u1, r = s2 - s1
                let h2 = h.squared, h3 = h2 * h, u1h2 = u1 * h2
                let x3 = r.squared - h3 - u1h2 - u1h2
                return Jacobian(x: x3, y: r * (u1h2 - x3) - s1 * h3, z: h * p.z * q.z)
            }
        }

        /// The line through t and u (the tangent when equal) evaluated at P = (px, py), and t + u.
        /// With ψ(x, y) = (x·w², y·w³) and slope λ on the twist, the line is
        /// py − λ·px·w + (λ·xₜ − yₜ)·w³; a vertical line is px − xₜ·w².
        static func line(_ t: G2, _ u: G2, px: Fp, py: Fp) -> (Fp12, G2?) {
            let lambda: Fp2
            if t.x == u.x {
                guard t.y == u.y, !t.y.isZero else {
                    return (Fp12(c: [Fp2(a: px, b: .zero), .zero, -t.x, .zero, .zero, .zero]), nil)
                }
                let x2 = t.x.squared
                lambda = (x2 + x2 + x2) * (t.y + t.y).inverse
            } else {
                lambda = (u.y - t.y) * (u.x - t.x).inverse
            }
            let x3 = lambda.squared - t.x - u.x
            let next = G2(x: x3, y: lambda * (t.x - x3) - t.y)
            let f = Fp12(c: [Fp2(a: py, b: .zero), -(lambda * px), .zero, lambda * t.x - t.y, .zero, .zero])
            return (f, next)
        }

        /// The tangent at T (Jacobian, x = X/Z², y = Y/Z³) at P, and T doubled, without an inversion: the affine
        /// line times 2YZ³ (a factor in Fp2, which the final exponentiation removes) is
        /// 2YZ³·py − 3X²Z²·px·w + (3X³ − 2Y²)·w³. At infinity there is no line; where Y = 0 the line is vertical,
        /// which ``line(_:_:px:py:)`` handles in affine coordinates.
        static func tangent(_ t: inout Jacobian, px: Fp, py: Fp) -> Fp12? {
            if t.z.isZero { return nil }
            guard !t.y.isZero else { return affineStep(&t, nil, px: px, py: py) }
            let x2 = t.x.squared, z2 = t.z.squared
            let x2three = x2 + x2 + x2
            let line = Fp12(c: [(t.y + t.y) * t.z * z2 * py, -(x2three * z2 * px), .zero, x2three * t.x - t.y.squared - t.y.squared, .zero, .zero])
            t = t.doubled
            return line
        }

        /// The line through T (Jacobian) and U (affine) at P, and T + U. With slope N/D, N = y_U·Z³ − Y,
        /// D = Z(x_U·Z² − X), the affine line times D is D·py − N·px·w + (N·x_U − D·y_U)·w³. When T is at infinity
        /// it becomes U with no line; when x_T = x_U (D = 0) the affine ``line(_:_:px:py:)`` decides.
        static func chord(_ t: inout Jacobian, _ u: G2, px: Fp, py: Fp) -> Fp12? {
            if t.z.isZero {
                t = Jacobian(x: u.x, y: u.y, z: .one)
                return nil
            }
            let z2 = t.z.squared
            let d = t.z * (u.x * z2 - t.x)
            guard !d.isZero else { return affineStep(&t, u, px: px, py: py) }
            let n = u.y * z2 * t.z - t.y
            let line = Fp12(c: [d * py, -(n * px), .zero, n * u.x - d * u.y, .zero, .zero])
            t = t + Jacobian(x: u.x, y: u.y, z: .one)
            return line
        }

        /// The rare step in affine coordinates (one inversion): the tangent (u nil) or chord at T, T updated.
        static func affineStep(_ t: inout Jacobian, _ u: G2?, px: Fp, py: Fp) -> Fp12 {
            let zi = t.z.inverse, zi2 = zi.squared
            let a = G2(x: t.x * zi2, y: t.y * zi2 * zi)
            let (line, next) = BN254.Pairing.line(a, u ?? a, px: px, py: py)
            t = next.map { Jacobian(x: $0.x, y: $0.y, z: .one) } ?? .infinity
            return line
        }

        static func miller(px: Fp, py: Fp, q: G2) -> Fp12 {
            var f = Fp12.one
            var t = Jacobian(x: q.x, y: q.y, z: .one)
            for i in stride(from: loop.bitWidth - 2, through: 0, by: -1) {
                f = f.squared
                if let l = tangent(&t, px: px, py: py) { f = f * l }
                if BN254.bit(loop, i), let l = chord(&t, q, px: px, py: py) { f = f * l }
            }
            // Q1 = π(Q), Q2 = π²(Q) on the twist; the loop ends with lines to T + Q1 and then −Q2.
            let g2 = gamma.squared, g3 = g2 * gamma
            let q1 = G2(x: q.x.conjugate * g2, y: q.y.conjugate * g3)
            let q2 = G2(x: q.x * frobenius2[2], y: -(q.y * frobenius2[3]))
            if t.z.isZero { return f }
            if let l1 = chord(&t, q1, px: px, py: py) { f = f * l1 }
            if t.z.isZero { return f }
            var last = t
            return chord(&last, q2, px: px, py: py).map { f * $0 } ?? f
        }

        /// Whether f^((p¹² − 1)/n) = 1 (f ≠ 0, a product of lines). The easy part g = f^((p⁶ − 1)(p² + 1)) =
        /// (f̄/f)^(p²)·(f̄/f) lands in the cyclotomic subgroup, where squaring is cheaper; then g^((p⁴ − p² + 1)/n).
        static func finalExponentiationIsOne(_ f: Fp12) -> Bool {
            let f1 = f.conjugate * f.inverse
            let g = f1.frobeniusSquared * f1
            return g.cyclotomicPower(bigEndian: hardExponent) == .one
        }

        static func run(_ input: [UInt8], _ gas: UInt64) -> FrameResult {
            func failure(_ why: String) -> FrameResult { FrameResult(status: .failure(why), gasLeft: 0, output: []) }
            guard input.count % 192 == 0 else { return failure("bn254 pairing input is not a multiple of 192 bytes") }
            let pairs = input.count / 192
            let (perPair, o1) = UInt64(34_000).multipliedReportingOverflow(by: UInt64(pairs))
            let (cost, o2) = perPair.addingReportingOverflow(45_000)
            guard !o1, !o2, gas >= cost else { return failure("out of gas") }
            var f = Fp12.one
            for k in 0..<pairs {
                let o = 192 * k
                guard let p = BN254.point(Array(input[o..<o + 64])) else { return failure("bn254 pairing: G1 point not on the curve") }
                func coordinate(_ i: Int) -> UInt256? {
                    guard let v = UInt256(bigEndian: input[o + 64 + 32 * i..<o + 96 + 32 * i]), v < BN254.p else { return nil }
                    return v
                }
                // EIP-197 orders each Fp2 coordinate imaginary part first.
                guard let xi = coordinate(0), let xr = coordinate(1), let yi = coordinate(2), let yr = coordinate(3) else {
                    return failure("bn254 pairing: G2 coordinate not below p")
                }
                let q = G2(x: Fp2(a: Fp(xr), b: Fp(xi)), y: Fp2(a: Fp(yr), b: Fp(yi)))
                let qIsInfinity = q.x.isZero && q.y.isZero
                if !qIsInfinity {
                    guard isOnTwist(q) else { return failure("bn254 pairing: G2 point not on the twist") }
                    guard isInSubgroup(q) else { return failure("bn254 pairing: G2 point not in the subgroup") }
                }
                // A pair with a point at infinity contributes 1.
                if p.z.isZero || qIsInfinity { continue }
                f = f * miller(px: Fp(p.x), py: Fp(p.y), q: q)
            }
            let one = pairs == 0 || finalExponentiationIsOne(f)
            return FrameResult(status: .success, gasLeft: gas - cost, output: UInt256(one ? 1 : 0).bigEndianBytes)
        }
    }
}
