import AnkrPrimitives

/// The PoUW lottery (DESIGN.md §4): every executed instruction is a trial that wins with
/// probability p = target / 2^256, so a subtask of n instructions wins with 1 − (1 − p)^n.
///
/// The probability is computed exactly in 128-bit fixed point (no floating point): q = (1 − p)^n by
/// square-and-multiply, each step truncated, so the error stays below 2^-120. The draw compares 128
/// bits of enclave randomness with 2^128·(1 − q); the bias is at most 2^-120.
public enum Lottery {
    /// 2^128 as the fixed-point one.
    static let one = UInt256.one.shiftedLeft(128)

    /// (1 − p)^n in 128-bit fixed point (2^128 = 1).
    public static func lossProbability(target: UInt256, instructions n: UInt64) -> UInt256 {
        // p·2^128 = target / 2^128, rounded down (p ≤ 1).
        let p = target.shiftedRight(128)
        var base = one &- min(p, one)
        var result = one
        var e = n
        while e > 0 {
            if e & 1 == 1 { result = mul(result, base) }
            e >>= 1
            if e > 0 { base = mul(base, base) }
        }
        return result
    }

    /// Fixed-point product (a·b)/2^128 of values ≤ 2^128.
    static func mul(_ a: UInt256, _ b: UInt256) -> UInt256 {
        let wide = a.multipliedFullWidth(by: b)
        // Bits 128…383 of the 512-bit product.
        return UInt256(w0: wide[2], w1: wide[3], w2: wide[4], w3: wide[5])
    }

    /// The win probability 1 − (1 − p)^n in 128-bit fixed point.
    public static func winProbability(target: UInt256, instructions n: UInt64) -> UInt256 {
        one &- lossProbability(target: target, instructions: n)
    }

    /// Draws with 16 bytes (128 bits) of enclave randomness.
    public static func draw(target: UInt256, instructions n: UInt64, randomness: [UInt8]) -> Bool {
        precondition(randomness.count >= 16, "the lottery needs at least 128 bits of randomness")
        let u = UInt256(bigEndian: randomness.prefix(16)) ?? .zero
        return u < winProbability(target: target, instructions: n)
    }

    /// The target for a difficulty measured in expected instructions per block: 2^256 / difficulty.
    public static func target(difficulty: UInt256) -> UInt256 {
        guard difficulty > .one else { return .max }
        return UInt256.max / difficulty
    }
}
