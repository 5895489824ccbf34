import AnkrPrimitives

extension BLS12381 {
    /// A curve point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the point at infinity. Over Fp
    /// it is a G1 point, over Fp2 a point on G2's twist.
    struct Point<F: CurveField>: Sendable {
        var x: F, y: F, z: F

        static var infinity: Point { Point(x: .one, y: .one, z: .zero) }

        init(x: F, y: F, z: F) { (self.x, self.y, self.z) = (x, y, z) }
        init(affine: Affine) { (x, y, z) = (affine.x, affine.y, .one) }

        /// An affine point (never the point at infinity).
        struct Affine: Equatable, Sendable { var x: F, y: F }

        var isInfinity: Bool { z.isZero }

        /// The affine point, nil for the point at infinity.
        var affine: Affine? {
            if z.isZero { return nil }
            // Decoded points and the setup's generators have Z = 1: skip the inversion.
            if z == .one { return Affine(x: x, y: y) }
            let zi = z.inverse, zi2 = zi.squared
            return Affine(x: x * zi2, y: y * zi2 * zi)
        }

        var doubled: Point {
            if z.isZero || y.isZero { return .infinity }
            let a = x.squared, b = y.squared, c = b.squared
            let xb = (x + b).squared - a - c
            let d = xb + xb
            let e = a + a + a
            let x3 = e.squared - d - d
            let c2 = c + c, c4 = c2 + c2, c8 = c4 + c4
            return Point(x: x3, y: e * (d - x3) - c8, z: (y + y) * z)
        }

        static func + (p: Point, q: Point) -> Point {
            if p.z.isZero { return q }
            if q.z.isZero { return p }
            let z1z1 = p.z.squared, z2z2 = q.z.squared
            let u1 = p.x * z2z2, u2 = q.x * z1z1
            let s1 = p.y * q.z * z2z2, s2 = q.y * p.z * z1z1
            if u1 == u2 { return s1 == s2 ? p.doubled : .infinity }
            let h = u2 - u1, r = s2 - s1
            let h2 = h.squared, h3 = h2 * h, u1h2 = u1 * h2
            let x3 = r.squared - h3 - u1h2 - u1h2
            return Point(x: x3, y: r * (u1h2 - x3) - s1 * h3, z: h * p.z * q.z)
        }

        /// p + q for an affine q (Z = 1): the general sum with Z₂ = 1 folded in, four products fewer.
        static func + (p: Point, q: Affine) -> Point {
            if p.z.isZero { return Point(affine: q) }
            let z1z1 = p.z.squared
            let u2 = q.x * z1z1, s2 = q.y * p.z * z1z1
            if p.x == u2 { return p.y == s2 ? p.doubled : .infinity }
            let h = u2 - p.x, r = s2 - p.y
            let h2 = h.squared, h3 = h2 * h, u1h2 = p.x * h2
            let x3 = r.squared - h3 - u1h2 - u1h2
            return Point(x: x3, y: r * (u1h2 - x3) - p.y * h3, z: h * p.z)
        }

        static prefix func - (p: Point) -> Point { Point(x: p.x, y: -p.y, z: p.z) }

        /// The affine points of `points` (nil for the point at infinity) with one inversion for all of them
        /// (Montgomery's trick: invert the product of the Z's, then peel each inverse off it).
        static func affine(_ points: [Point]) -> [Affine?] {
            var prefix: [F] = []
            prefix.reserveCapacity(points.count)
            var product = F.one
            for p in points {
                if !p.z.isZero { product = product * p.z }
                prefix.append(product)
            }
            var inverse = product.inverse
            var result = [Affine?](repeating: nil, count: points.count)
            for i in points.indices.reversed() where !points[i].z.isZero {
                let p = points[i]
                // inverse is 1/(z₀⋯zᵢ) here; times z₀⋯zᵢ₋₁ it is 1/zᵢ.
                let zi = i == 0 ? inverse : inverse * prefix[i - 1]
                inverse = inverse * p.z
                let zi2 = zi.squared
                result[i] = Affine(x: p.x * zi2, y: p.y * zi2 * zi)
            }
            return result
        }

        /// k·self, double-and-add over k's 256 bits.
        func multiplied(by k: UInt256) -> Point {
            var result = Point.infinity
            for i in stride(from: 255, through: 0, by: -1) {
                result = result.doubled
                if bit(k, i) { result = result + self }
            }
            return result
        }

        /// Whether r·self is the point at infinity: the curves have points outside the order-r
        /// groups, and the pairing check must refuse them.
        var isInSubgroup: Bool { multiplied(by: order).isInfinity }

        /// Reads a ZCash-compressed point: the x coordinate big-endian (over Fp2 the imaginary part
        /// first), its top three bits flags: compressed (must be set), infinity, and the sign of y.
        /// Checks the encoding is canonical and the point on the curve; not the subgroup.
        static func decompress(_ bytes: ArraySlice<UInt8>, size: Int, coordinate: (ArraySlice<UInt8>) -> F?) throws(BLS12381PointError) -> Point {
            guard bytes.count == size, let first = bytes.first else { throw .wrongLength(expected: size, actual: bytes.count) }
            guard first & 0x80 != 0 else { throw .notCompressed }
            let infinity = first & 0x40 != 0, sign = first & 0x20 != 0
            var body = bytes
            body[body.startIndex] = first & 0x1F
            if infinity {
                guard !sign, body.allSatisfy({ $0 == 0 }) else { throw .infinityWithNonZeroBits }
                return .infinity
            }
            guard let x = coordinate(body) else { throw .coordinateNotBelowModulus }
            guard var y = (x.squared * x + F.curveB).squareRoot else { throw .notOnCurve }
            if y.isLexicographicallyLargest != sign { y = -y }
            return Point(x: x, y: y, z: .one)
        }
    }
}

extension BLS12381.Point where F == BLS12381.Fp {
    /// A G1 point from its 48-byte compressed encoding, checked to lie in G1.
    init(compressed bytes: ArraySlice<UInt8>) throws(BLS12381PointError) {
        self = try Self.decompress(bytes, size: 48) { BLS12381.Fp(plain: BLS12381.limbs(bigEndian: $0)) }
        guard isInG1 else { throw .notInSubgroup }
    }

    /// β, a primitive cube root of unity in Fp (Montgomery form): φ(x, y) = (βx, y) is an endomorphism
    /// of the curve, and this β is the one that acts on G1 as multiplication by −x².
    static var beta: BLS12381.Fp {
        BLS12381.Fp(m: [0x30F1_361B_798A_64E8, 0xF3B8_DDAB_7ECE_5A2A, 0x16A8_CA3A_C615_77F7,
                        0xC26A_2FF8_74FD_029B, 0x3636_B766_6070_1C6E, 0x051B_A4AB_241B_6160])
    }

    /// Whether this curve point lies in G1, by Scott's test (eprint 2021/1130): φ(P) = −x²·P exactly
    /// for P in G1. Two 64-bit multiplications instead of one by the 255-bit r; same answer as
    /// ``isInSubgroup``.
    var isInG1: Bool {
        if isInfinity { return true }
        let minusX2P = -timesParameter.timesParameter
        if minusX2P.isInfinity { return false }
        // φ in Jacobian coordinates is (βX, Y, Z); compare the affine points without inverting.
        let z1 = z.squared, z2 = minusX2P.z.squared
        return Self.beta * x * z2 == minusX2P.x * z1 && y * z2 * minusX2P.z == minusX2P.y * z1 * z
    }

    /// |x|·self for the curve parameter x, double-and-add over its 64 bits.
    var timesParameter: Self {
        var result = self
        for i in stride(from: 62, through: 0, by: -1) {
            result = result.doubled
            if (BLS12381.parameter >> UInt64(i)) & 1 == 1 { result = result + self }
        }
        return result
    }
}

extension BLS12381.Point where F == BLS12381.Fp2 {
    /// A G2 point from its 96-byte compressed encoding, checked to lie in G2.
    init(compressed bytes: ArraySlice<UInt8>) throws(BLS12381PointError) {
        self = try Self.decompress(bytes, size: 96) { body in
            let s = body.startIndex
            guard let c1 = BLS12381.Fp(plain: BLS12381.limbs(bigEndian: body[s..<s + 48])),
                  let c0 = BLS12381.Fp(plain: BLS12381.limbs(bigEndian: body[s + 48..<s + 96])) else { return nil }
            return BLS12381.Fp2(c0: c0, c1: c1)
        }
        guard isInSubgroup else { throw .notInSubgroup }
    }
}
