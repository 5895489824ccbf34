extension UInt256 {
    /// Addition with the carry out of bit 255.
    @inlinable
    public func addingReportingOverflow(_ b: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, c0) = w0.addingReportingOverflow(b.w0)
        var (r1, c1) = w1.addingReportingOverflow(b.w1)
        var c: Bool
        if c0 { (r1, c) = r1.addingReportingOverflow(1); c1 = c1 || c }
        var (r2, c2) = w2.addingReportingOverflow(b.w2)
        if c1 { (r2, c) = r2.addingReportingOverflow(1); c2 = c2 || c }
        var (r3, c3) = w3.addingReportingOverflow(b.w3)
        if c2 { (r3, c) = r3.addingReportingOverflow(1); c3 = c3 || c }
        return (UInt256(w0: r0, w1: r1, w2: r2, w3: r3), c3)
    }

    /// Subtraction with the borrow out of bit 255.
    @inlinable
    public func subtractingReportingOverflow(_ b: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, b0) = w0.subtractingReportingOverflow(b.w0)
        var (r1, b1) = w1.subtractingReportingOverflow(b.w1)
        var x: Bool
        if b0 { (r1, x) = r1.subtractingReportingOverflow(1); b1 = b1 || x }
        var (r2, b2) = w2.subtractingReportingOverflow(b.w2)
        if b1 { (r2, x) = r2.subtractingReportingOverflow(1); b2 = b2 || x }
        var (r3, b3) = w3.subtractingReportingOverflow(b.w3)
        if b2 { (r3, x) = r3.subtractingReportingOverflow(1); b3 = b3 || x }
        return (UInt256(w0: r0, w1: r1, w2: r2, w3: r3), b3)
    }

    @inlinable
    public static func &+ (a: UInt256, b: UInt256) -> UInt256 { a.addingReportingOverflow(b).partialValue }
    @inlinable
    public static func &- (a: UInt256, b: UInt256) -> UInt256 { a.subtractingReportingOverflow(b).partialValue }

    /// Full 512-bit product, eight limbs least significant first.
    public func multipliedFullWidth(by b: UInt256) -> [UInt64] {
        let x = limbs, y = b.limbs
        var r = [UInt64](repeating: 0, count: 8)
        for i in 0..<4 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (hi, lo) = x[i].multipliedFullWidth(by: y[j])
                let (s1, o1) = lo.addingReportingOverflow(r[i + j])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                r[i + j] = s2
                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            r[i + 4] = carry
        }
        return r
    }

    /// Product modulo 2^256 and whether the true product was larger.
    public func multipliedReportingOverflow(by b: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let r = multipliedFullWidth(by: b)
        return (UInt256(limbs: Array(r[0..<4])), (r[4] | r[5] | r[6] | r[7]) != 0)
    }

    @inlinable
    public static func &* (a: UInt256, b: UInt256) -> UInt256 {
        // Only the low 256 bits are needed, so skip the partial products that land above them.
        var r = UInt256(w0: 0, w1: 0, w2: 0, w3: 0)
        for i in 0..<4 {
            let x = a[limb: i]
            if x == 0 { continue }
            var carry: UInt64 = 0
            for j in 0..<(4 - i) {
                let (hi, lo) = x.multipliedFullWidth(by: b[limb: j])
                let (s1, o1) = lo.addingReportingOverflow(r[limb: i + j])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                r[limb: i + j] = s2
                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
        }
        return r
    }

    /// Unsigned quotient and remainder; division by zero gives (0, 0) as in the EVM.
    public func quotientAndRemainder(dividingBy d: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        if d.isZero { return (.zero, .zero) }
        if self < d { return (.zero, self) }
        // A divisor of one limb (most divisions in contracts: decimals, powers of two, small counts)
        // needs only the hardware's 128-by-64 division, limb by limb, and no arrays.
        if (d.w1 | d.w2 | d.w3) == 0 { return dividedByLimb(d.w0) }
        let (q, r) = UInt256.divide(limbs, by: d.limbs)
        return (UInt256(limbs: Array(q[0..<4])), UInt256(limbs: r))
    }

    /// Short division by a non-zero one-limb divisor.
    @usableFromInline
    func dividedByLimb(_ v: UInt64) -> (quotient: UInt256, remainder: UInt256) {
        if (w1 | w2 | w3) == 0 { return (UInt256(w0 / v), UInt256(w0 % v)) }
        // Each step divides (remainder < v, next limb) by v, so the quotient limb cannot overflow.
        let (q3, r3) = v.dividingFullWidth((0, w3))
        let (q2, r2) = v.dividingFullWidth((r3, w2))
        let (q1, r1) = v.dividingFullWidth((r2, w1))
        let (q0, r0) = v.dividingFullWidth((r1, w0))
        return (UInt256(w0: q0, w1: q1, w2: q2, w3: q3), UInt256(r0))
    }

    /// Knuth's algorithm D on 64-bit limbs: `n` (any length) divided by a non-zero 4-limb `d`.
    /// Returns the quotient (n.count limbs) and the 4-limb remainder.
    static func divide(_ n: [UInt64], by d: [UInt64]) -> (quotient: [UInt64], remainder: [UInt64]) {
        var dl = d
        while dl.count > 1 && dl[dl.count - 1] == 0 { dl.removeLast() }
        var nl = n
        while nl.count > 1 && nl[nl.count - 1] == 0 { nl.removeLast() }
        let dn = dl.count
        var quotient = [UInt64](repeating: 0, count: n.count)
        if limbsLess(nl, dl) {
            // Dividend below divisor: it fits in four limbs and is the remainder.
            var rem = nl
            while rem.count < 4 { rem.append(0) }
            return (quotient, rem)
        }
        if dn == 1 {
            let v = dl[0]
            var rem: UInt64 = 0
            for i in stride(from: nl.count - 1, through: 0, by: -1) {
                let (q, r) = v.dividingFullWidth((rem, nl[i]))
                quotient[i] = q
                rem = r
            }
            return (quotient, [rem, 0, 0, 0])
        }
        let shift = UInt64(dl[dn - 1].leadingZeroBitCount)
        let vn = shiftLeft(dl, shift, extra: false)
        let un = shiftLeft(nl, shift, extra: true)
        let m = nl.count - dn
        var u = un
        for j in stride(from: m, through: 0, by: -1) {
            // Estimate q̂ from the top two limbs of the current remainder window.
            let top = u[j + dn], next = u[j + dn - 1]
            var qhat: UInt64
            var rhat: UInt64
            var rhatOverflow = false
            if top >= vn[dn - 1] {
                qhat = .max
                let (r, o) = next.addingReportingOverflow(vn[dn - 1])
                rhat = r; rhatOverflow = o
                if top > vn[dn - 1] { rhatOverflow = true }
            } else {
                (qhat, rhat) = vn[dn - 1].dividingFullWidth((top, next))
            }
            while !rhatOverflow {
                let (ph, pl) = qhat.multipliedFullWidth(by: vn[dn - 2])
                if ph > rhat || (ph == rhat && pl > u[j + dn - 2]) {
                    qhat -= 1
                    let (r, o) = rhat.addingReportingOverflow(vn[dn - 1])
                    rhat = r
                    if o { rhatOverflow = true }
                } else {
                    break
                }
            }
            // Multiply and subtract q̂·v from the window.
            var borrow: UInt64 = 0
            var carry: UInt64 = 0
            for i in 0..<dn {
                let (ph, pl) = qhat.multipliedFullWidth(by: vn[i])
                let (pLow, c1) = pl.addingReportingOverflow(carry)
                carry = ph &+ (c1 ? 1 : 0)
                let (s1, b1) = u[i + j].subtractingReportingOverflow(pLow)
                let (s2, b2) = s1.subtractingReportingOverflow(borrow)
                u[i + j] = s2
                borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
            }
            let (s1, b1) = u[j + dn].subtractingReportingOverflow(carry)
            let (s2, b2) = s1.subtractingReportingOverflow(borrow)
            u[j + dn] = s2
            if b1 || b2 {
                // q̂ was one too large: add v back.
                qhat -= 1
                var c: UInt64 = 0
                for i in 0..<dn {
                    let (a1, o1) = u[i + j].addingReportingOverflow(vn[i])
                    let (a2, o2) = a1.addingReportingOverflow(c)
                    u[i + j] = a2
                    c = (o1 ? 1 : 0) + (o2 ? 1 : 0)
                }
                u[j + dn] = u[j + dn] &+ c
            }
            quotient[j] = qhat
        }
        // Un-normalize the remainder.
        var rem = [UInt64](repeating: 0, count: 4)
        for i in 0..<dn {
            let lo = u[i] >> shift
            let hi = shift == 0 ? 0 : u[i + 1] << (64 - shift)
            rem[i] = lo | hi
        }
        return (quotient, rem)
    }

    private static func limbsLess(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        if a.count != b.count { return a.count < b.count }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] {
            return a[i] < b[i]
        }
        return false
    }

    private static func shiftLeft(_ v: [UInt64], _ s: UInt64, extra: Bool) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: v.count + (extra ? 1 : 0))
        for i in 0..<v.count {
            out[i] |= v[i] << s
            if s != 0 {
                let spill = v[i] >> (64 - s)
                if i + 1 < out.count { out[i + 1] |= spill }
            }
        }
        return out
    }

    /// The EVM's DIV.
    @inlinable
    public static func / (a: UInt256, b: UInt256) -> UInt256 { a.quotientAndRemainder(dividingBy: b).quotient }
    /// The EVM's MOD.
    @inlinable
    public static func % (a: UInt256, b: UInt256) -> UInt256 { a.quotientAndRemainder(dividingBy: b).remainder }

    /// Two's complement negation.
    @inlinable
    public var negated: UInt256 { UInt256.zero &- self }

    /// Absolute value of the two's complement reading.
    @usableFromInline
    var magnitude256: UInt256 { isNegative ? negated : self }

    /// The EVM's SDIV: truncated signed division; −2^255 / −1 wraps to −2^255; x / 0 = 0.
    public func signedDivided(by b: UInt256) -> UInt256 {
        if b.isZero { return .zero }
        let q = magnitude256 / b.magnitude256
        return isNegative != b.isNegative ? q.negated : q
    }

    /// The EVM's SMOD: the result takes the sign of the dividend; x mod 0 = 0.
    public func signedRemainder(dividingBy b: UInt256) -> UInt256 {
        if b.isZero { return .zero }
        let r = magnitude256 % b.magnitude256
        return isNegative ? r.negated : r
    }

    /// The EVM's ADDMOD: (a + b) mod m without losing the carry; 0 when m is 0.
    public static func addMod(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        if m.isZero { return .zero }
        let (s, carry) = a.addingReportingOverflow(b)
        if !carry { return s % m }
        let n = s.limbs + [carry ? 1 : 0]
        return UInt256(limbs: divide(n, by: m.limbs).remainder)
    }

    /// The EVM's MULMOD: (a · b) mod m over the full 512-bit product; 0 when m is 0.
    public static func mulMod(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        if m.isZero { return .zero }
        if (a.w1 | a.w2 | a.w3 | b.w1 | b.w2 | b.w3 | m.w1 | m.w2 | m.w3) == 0 {
            // All one limb: the 128-bit product's high limb is reduced first so the division fits.
            let (hi, lo) = a.w0.multipliedFullWidth(by: b.w0)
            return UInt256(m.w0.dividingFullWidth((hi % m.w0, lo)).remainder)
        }
        return UInt256(limbs: divide(a.multipliedFullWidth(by: b), by: m.limbs).remainder)
    }

    /// The EVM's EXP: self^e modulo 2^256 by square-and-multiply.
    public func power(_ e: UInt256) -> UInt256 {
        var result = UInt256.one
        var base = self
        let bits = e.bitWidth
        for i in 0..<bits {
            if (e[limb: i >> 6] >> UInt64(i & 63)) & 1 == 1 { result = result &* base }
            if i + 1 < bits { base = base &* base }
        }
        return result
    }

    /// The EVM's SIGNEXTEND: extend the sign of byte `b` (counted from the least significant end).
    @inlinable
    public func signExtended(fromByte b: UInt256) -> UInt256 {
        guard (b.w1 | b.w2 | b.w3) == 0, b.w0 < 31 else { return self }
        let bit = Int(b.w0) * 8 + 7
        let limb = bit >> 6, inLimb = UInt64(bit & 63)
        // Bits above `bit` in its limb, and every limb above it, take the sign bit's value.
        let high: UInt64 = inLimb == 63 ? 0 : ~0 << (inLimb + 1)
        let negative = (self[limb: limb] >> inLimb) & 1 == 1
        var r = self
        for i in 0..<4 {
            if i < limb { continue }
            let m: UInt64 = i == limb ? high : .max
            r[limb: i] = negative ? (r[limb: i] | m) : (r[limb: i] & ~m)
        }
        return r
    }
}

extension UInt256 {
    @inlinable
    public static func & (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(w0: a.w0 & b.w0, w1: a.w1 & b.w1, w2: a.w2 & b.w2, w3: a.w3 & b.w3)
    }
    @inlinable
    public static func | (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(w0: a.w0 | b.w0, w1: a.w1 | b.w1, w2: a.w2 | b.w2, w3: a.w3 | b.w3)
    }
    @inlinable
    public static func ^ (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(w0: a.w0 ^ b.w0, w1: a.w1 ^ b.w1, w2: a.w2 ^ b.w2, w3: a.w3 ^ b.w3)
    }
    @inlinable
    public static prefix func ~ (a: UInt256) -> UInt256 {
        UInt256(w0: ~a.w0, w1: ~a.w1, w2: ~a.w2, w3: ~a.w3)
    }

    /// The EVM's SHL: shifts of 256 or more give zero. (A method, not `<<`, so integer literals
    /// elsewhere never resolve to UInt256 by accident.)
    @inlinable
    public func shiftedLeft(_ s: UInt256) -> UInt256 {
        guard let n = s.int, n < 256 else { return .zero }
        return shiftedLeft(n)
    }

    /// Shift left by `n` bits; `n` ≥ 256 gives zero.
    @inlinable
    public func shiftedLeft(_ n: Int) -> UInt256 {
        guard n < 256 else { return .zero }
        let limbShift = n >> 6, bitShift = UInt64(n & 63)
        var r = UInt256(w0: 0, w1: 0, w2: 0, w3: 0)
        for i in stride(from: 3, through: limbShift, by: -1) {
            var v = self[limb: i - limbShift] << bitShift
            if bitShift != 0 && i - limbShift - 1 >= 0 { v |= self[limb: i - limbShift - 1] >> (64 - bitShift) }
            r[limb: i] = v
        }
        return r
    }

    /// The EVM's SHR (logical): shifts of 256 or more give zero.
    @inlinable
    public func shiftedRight(_ s: UInt256) -> UInt256 {
        guard let n = s.int, n < 256 else { return .zero }
        return shiftedRight(n)
    }

    /// Logical shift right by `n` bits; `n` ≥ 256 gives zero.
    @inlinable
    public func shiftedRight(_ n: Int) -> UInt256 {
        guard n < 256 else { return .zero }
        let limbShift = n >> 6, bitShift = UInt64(n & 63)
        var r = UInt256(w0: 0, w1: 0, w2: 0, w3: 0)
        for i in 0..<(4 - limbShift) {
            var v = self[limb: i + limbShift] >> bitShift
            if bitShift != 0 && i + limbShift + 1 < 4 { v |= self[limb: i + limbShift + 1] << (64 - bitShift) }
            r[limb: i] = v
        }
        return r
    }

    /// The EVM's SAR: arithmetic shift; large shifts give 0 or all ones by sign.
    @inlinable
    public func arithmeticShiftRight(_ s: UInt256) -> UInt256 {
        guard isNegative else { return shiftedRight(s) }
        guard let n = s.int, n < 256 else { return .max }
        if n == 0 { return self }
        let fill = ~UInt256.max.shiftedRight(n)
        return shiftedRight(n) | fill
    }
}
