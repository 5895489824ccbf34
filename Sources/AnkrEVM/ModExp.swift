import AnkrPrimitives

/// The 0x05 precompile (EIP-198) priced by EIP-2565, over arbitrary-length big-endian integers.
enum ModExp {
    static func run(_ input: [UInt8], _ gas: UInt64) -> FrameResult {
        func field(_ i: Int) -> UInt256 { UInt256(bigEndian: Frame.slice(input, UInt256(UInt64(32 * i)), 32)) ?? .zero }
        let baseLen = field(0), expLen = field(1), modLen = field(2)
        let cost = price(baseLen: baseLen, expLen: expLen, modLen: modLen, input: input)
        guard let cost, gas >= cost else { return FrameResult(status: .failure("out of gas"), gasLeft: 0, output: []) }
        guard let b = baseLen.uint64, let e = expLen.uint64, let m = modLen.uint64 else {
            // Only reachable with a zero-length modulus (otherwise the price is astronomical): the answer is empty.
            return FrameResult(status: .success, gasLeft: gas - cost, output: [])
        }
        if m == 0 { return FrameResult(status: .success, gasLeft: gas - cost, output: []) }
        let base = Frame.slice(input, UInt256(96), Int(b))
        let exponent = Frame.slice(input, UInt256(96 + b), Int(e))
        let modulus = Frame.slice(input, UInt256(96 + b + e), Int(m))
        let result = BigUInt(bigEndian: modulus).isZero ? BigUInt() : BigUInt.power(BigUInt(bigEndian: base), exponent, modulus: BigUInt(bigEndian: modulus))
        return FrameResult(status: .success, gasLeft: gas - cost, output: result.bigEndian(count: Int(m)))
    }

    /// EIP-2565: max(200, words(max(baseLen, modLen))² × iterations / 3); nil when it exceeds 64 bits.
    static func price(baseLen: UInt256, expLen: UInt256, modLen: UInt256, input: [UInt8]) -> UInt64? {
        let longest = max(baseLen, modLen)
        guard let l = longest.uint64, l <= 0xffff_ffff else { return nil }
        let words = (l + 7) / 8
        let complexity = words * words
        if complexity == 0 { return 200 }
        guard let e = expLen.uint64, e <= 0xffff_ffff, let b = baseLen.uint64 else { return nil }
        let head = UInt256(bigEndian: Frame.slice(input, UInt256(96 + b), Int(min(e, 32))).leftPadded(32)) ?? .zero
        var iterations: UInt64
        if e <= 32 {
            iterations = head.isZero ? 0 : UInt64(head.bitWidth - 1)
        } else {
            iterations = 8 * (e - 32) + UInt64(max(head.bitWidth - 1, 0))
        }
        iterations = max(iterations, 1)
        let (product, overflow) = complexity.multipliedReportingOverflow(by: iterations)
        guard !overflow else { return nil }
        return max(200, product / 3)
    }
}

/// A non-negative integer of any size, little-endian 32-bit limbs (for modexp only).
struct BigUInt {
    var limbs: [UInt32] = []

    init() {}

    init(bigEndian bytes: [UInt8]) {
        var out = [UInt32]()
        var i = bytes.count
        while i > 0 {
            var w: UInt32 = 0
            for k in 0..<4 where i - 1 - k >= 0 { w |= UInt32(bytes[i - 1 - k]) << (8 * UInt32(k)) }
            out.append(w)
            i -= 4
        }
        limbs = out
        normalize()
    }

    var isZero: Bool { limbs.isEmpty }

    mutating func normalize() { while limbs.last == 0 { limbs.removeLast() } }

    func bigEndian(count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        for (i, w) in limbs.enumerated() {
            for k in 0..<4 {
                let pos = count - 1 - (4 * i + k)
                if pos >= 0 { out[pos] = UInt8(truncatingIfNeeded: w >> (8 * UInt32(k))) }
            }
        }
        return out
    }

    static func * (a: BigUInt, b: BigUInt) -> BigUInt {
        if a.isZero || b.isZero { return BigUInt() }
        var r = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count)
        for i in 0..<a.limbs.count {
            var carry: UInt64 = 0
            let ai = UInt64(a.limbs[i])
            for j in 0..<b.limbs.count {
                let t = ai * UInt64(b.limbs[j]) + UInt64(r[i + j]) + carry
                r[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            r[i + b.limbs.count] = UInt32(carry)
        }
        var out = BigUInt()
        out.limbs = r
        out.normalize()
        return out
    }

    /// The remainder of `a` divided by `m` (Knuth's algorithm D), m ≠ 0.
    static func % (a: BigUInt, m: BigUInt) -> BigUInt {
        if compare(a, m) < 0 { return a }
        if m.limbs.count == 1 {
            var rem: UInt64 = 0
            let d = UInt64(m.limbs[0])
            for w in a.limbs.reversed() { rem = ((rem << 32) | UInt64(w)) % d }
            var out = BigUInt()
            out.limbs = rem == 0 ? [] : [UInt32(rem)]
            return out
        }
        let s = UInt32((m.limbs.last ?? 1).leadingZeroBitCount)
        let v = shiftLeft(m.limbs, s), n = v.count
        var u = shiftLeft(a.limbs, s)
        if u.count == a.limbs.count { u.append(0) }
        if u.count < a.limbs.count + 1 { u.append(0) }
        let mCount = u.count - n - 1
        let vTop = UInt64(v[n - 1]), vNext = UInt64(v[n - 2])
        for j in stride(from: mCount, through: 0, by: -1) {
            let num = (UInt64(u[j + n]) << 32) | UInt64(u[j + n - 1])
            var qhat = num / vTop
            var rhat = num % vTop
            while qhat > 0xffff_ffff || qhat * vNext > ((rhat << 32) | UInt64(u[j + n - 2])) {
                qhat -= 1
                rhat += vTop
                if rhat > 0xffff_ffff { break }
            }
            var borrow: Int64 = 0
            var carry: UInt64 = 0
            for i in 0..<n {
                let p = qhat * UInt64(v[i]) + carry
                carry = p >> 32
                let t = Int64(u[i + j]) - Int64(p & 0xffff_ffff) + borrow
                u[i + j] = UInt32(truncatingIfNeeded: t)
                borrow = t >> 32
            }
            let t = Int64(u[j + n]) - Int64(carry) + borrow
            u[j + n] = UInt32(truncatingIfNeeded: t)
            if t < 0 {
                var c: UInt64 = 0
                for i in 0..<n {
                    let sum = UInt64(u[i + j]) + UInt64(v[i]) + c
                    u[i + j] = UInt32(truncatingIfNeeded: sum)
                    c = sum >> 32
                }
                u[j + n] = UInt32(truncatingIfNeeded: UInt64(u[j + n]) + c)
            }
        }
        var r = BigUInt()
        r.limbs = shiftRight(Array(u[0..<n]), s)
        r.normalize()
        return r
    }

    static func shiftLeft(_ x: [UInt32], _ s: UInt32) -> [UInt32] {
        guard s > 0 else { return x }
        var out = [UInt32](repeating: 0, count: x.count + 1)
        for i in 0..<x.count {
            out[i] |= x[i] << s
            out[i + 1] = x[i] >> (32 - s)
        }
        if out.last == 0 { out.removeLast() }
        return out
    }

    static func shiftRight(_ x: [UInt32], _ s: UInt32) -> [UInt32] {
        guard s > 0 else { return x }
        var out = x
        for i in 0..<x.count { out[i] = (x[i] >> s) | (i + 1 < x.count ? x[i + 1] << (32 - s) : 0) }
        return out
    }

    static func compare(_ a: BigUInt, _ b: BigUInt) -> Int {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count ? -1 : 1 }
        for i in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[i] != b.limbs[i] { return a.limbs[i] < b.limbs[i] ? -1 : 1 }
        return 0
    }

    /// base^exponent mod m, square-and-multiply over the exponent's big-endian bits.
    static func power(_ base: BigUInt, _ exponent: [UInt8], modulus m: BigUInt) -> BigUInt {
        var result = BigUInt(bigEndian: [1]) % m
        let b = base % m
        for byte in exponent {
            for bit in stride(from: 7, through: 0, by: -1) {
                result = (result * result) % m
                if (byte >> UInt8(bit)) & 1 == 1 { result = (result * b) % m }
            }
        }
        return result
    }
}
