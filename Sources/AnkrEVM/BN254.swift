import AnkrPrimitives

/// alt_bn128 (bn254) point addition and scalar multiplication, the 0x06 and 0x07 precompiles
/// (EIP-196, EIP-1108 prices), in Jacobian coordinates over the base field.
enum BN254 {
    static let p = UInt256(w0: 0x3C208C16D87CFD47, w1: 0x97816A916871CA8D, w2: 0xB85045B68181585D, w3: 0x30644E72E131A029)

    struct Point { var x: UInt256; var y: UInt256; var z: UInt256 }
    static let infinity = Point(x: .one, y: .one, z: .zero)

    static func add(_ a: UInt256, _ b: UInt256) -> UInt256 { UInt256.addMod(a, b, p) }
    static func sub(_ a: UInt256, _ b: UInt256) -> UInt256 { a >= b ? a &- b : (a &+ p) &- b }
    static func mul(_ a: UInt256, _ b: UInt256) -> UInt256 { UInt256.mulMod(a, b, p) }
    static func inverse(_ a: UInt256) -> UInt256 {
        // Fermat: a^(p-2); square-and-multiply with modular products.
        var result = UInt256.one, base = a, e = p &- UInt256(2)
        while !e.isZero {
            if e.w0 & 1 == 1 { result = mul(result, base) }
            base = mul(base, base)
            e = e.shiftedRight(1)
        }
        return result
    }

    /// Reads (x, y); (0, 0) is the point at infinity; nil when off the curve or not reduced.
    static func point(_ bytes: [UInt8]) -> Point? {
        guard let x = UInt256(bigEndian: bytes[0..<32]), let y = UInt256(bigEndian: bytes[32..<64]), x < p, y < p else { return nil }
        if x.isZero, y.isZero { return infinity }
        guard mul(y, y) == add(mul(mul(x, x), x), UInt256(3)) else { return nil }
        return Point(x: x, y: y, z: .one)
    }

    static func encode(_ q: Point) -> [UInt8] {
        if q.z.isZero { return [UInt8](repeating: 0, count: 64) }
        let zi = inverse(q.z), zi2 = mul(zi, zi)
        return mul(q.x, zi2).bigEndianBytes + mul(q.y, mul(zi2, zi)).bigEndianBytes
    }

    static func double(_ q: Point) -> Point {
        if q.z.isZero || q.y.isZero { return infinity }
        let a = mul(q.x, q.x), b = mul(q.y, q.y), c = mul(b, b)
        let xb = add(q.x, b)
        let d = add(sub(sub(mul(xb, xb), a), c), sub(sub(mul(xb, xb), a), c))
        let e = add(add(a, a), a), f = mul(e, e)
        let x3 = sub(f, add(d, d))
        let c8 = add(add(add(c, c), add(c, c)), add(add(c, c), add(c, c)))
        let y3 = sub(mul(e, sub(d, x3)), c8)
        let z3 = mul(add(q.y, q.y), q.z)
        return Point(x: x3, y: y3, z: z3)
    }

    static func add(_ a: Point, _ b: Point) -> Point {
        if a.z.isZero { return b }
        if b.z.isZero { return a }
        let z1z1 = mul(a.z, a.z), z2z2 = mul(b.z, b.z)
        let u1 = mul(a.x, z2z2), u2 = mul(b.x, z1z1)
        let s1 = mul(a.y, mul(b.z, z2z2)), s2 = mul(b.y, mul(a.z, z1z1))
        if u1 == u2 { return s1 == s2 ? double(a) : infinity }
        let h = sub(u2, u1), r = sub(s2, s1)
        let h2 = mul(h, h), h3 = mul(h2, h), u1h2 = mul(u1, h2)
        let x3 = sub(sub(mul(r, r), h3), add(u1h2, u1h2))
        let y3 = sub(mul(r, sub(u1h2, x3)), mul(s1, h3))
        return Point(x: x3, y: y3, z: mul(h, mul(a.z, b.z)))
    }

    static func multiply(_ q: Point, _ k: UInt256) -> Point {
        var result = infinity
        for i in stride(from: k.bitWidth - 1, through: 0, by: -1) {
            result = double(result)
            if !(k.shiftedRight(i) & .one).isZero { result = add(result, q) }
        }
        return result
    }

    static func ecAdd(_ input: [UInt8], _ gas: UInt64) -> FrameResult {
        guard gas >= 150 else { return FrameResult(status: .failure("out of gas"), gasLeft: 0, output: []) }
        let data = Frame.slice(input, .zero, 128)
        guard let a = point(Array(data[0..<64])), let b = point(Array(data[64..<128])) else {
            return FrameResult(status: .failure("bn254 point not on the curve"), gasLeft: 0, output: [])
        }
        return FrameResult(status: .success, gasLeft: gas - 150, output: encode(add(a, b)))
    }

    static func ecMul(_ input: [UInt8], _ gas: UInt64) -> FrameResult {
        guard gas >= 6_000 else { return FrameResult(status: .failure("out of gas"), gasLeft: 0, output: []) }
        let data = Frame.slice(input, .zero, 96)
        guard let a = point(Array(data[0..<64])), let k = UInt256(bigEndian: data[64..<96]) else {
            return FrameResult(status: .failure("bn254 point not on the curve"), gasLeft: 0, output: [])
        }
        return FrameResult(status: .success, gasLeft: gas - 6_000, output: encode(multiply(a, k)))
    }
}
