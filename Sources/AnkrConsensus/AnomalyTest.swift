/// REM's defence against a compromised platform: honest platforms win blocks in proportion to their
/// instruction power, so over a window of `window` blocks the fastest honest platform (a share `rate`
/// of all power) wins a Poisson(λ = rate·window) number. A platform whose count reaches a threshold
/// that honest luck exceeds with probability at most `alpha` is rejected.
///
/// The threshold is computed with +, ×, ÷ only (exp by a fixed Taylor series), which IEEE 754 makes
/// identical on every machine, so all nodes agree on it.
public struct AnomalyTest: Hashable, Sendable {
    public let window: Int
    public let rate: Double
    public let alpha: Double
    /// The smallest count k with P(X ≥ k) ≤ alpha; a platform may hold at most k − 1 blocks of a window.
    public let threshold: Int

    public init(window: Int, rate: Double, alpha: Double) {
        self.window = max(1, window)
        self.rate = min(1, max(0, rate))
        self.alpha = min(1, max(1e-300, alpha))
        self.threshold = Self.threshold(lambda: self.rate * Double(self.window), alpha: self.alpha, cap: self.window)
    }

    /// Whether `count` blocks of one platform within the window is an anomaly.
    public func isAnomalous(count: Int) -> Bool { count >= threshold }

    static func threshold(lambda: Double, alpha: Double, cap: Int) -> Int {
        // P(X ≤ k−1) accumulates term by term: p_0 = e^−λ, p_k = p_{k−1}·λ/k.
        var term = exp(-lambda)
        var cdf = 0.0
        for k in 0...cap {
            if 1 - cdf <= alpha { return k }
            cdf += term
            term = term * lambda / Double(k + 1)
        }
        // Even the whole window is not unlikely enough (rate close to 1): the test never fires.
        return cap + 1
    }

    /// e^x for x ≤ 0 by halving until small, a 20-term Taylor series, then squaring back.
    static func exp(_ x: Double) -> Double {
        var y = x
        var squarings = 0
        while y < -0.5 { y /= 2; squarings += 1 }
        var sum = 1.0, term = 1.0
        for n in 1...20 {
            term = term * y / Double(n)
            sum += term
        }
        for _ in 0..<squarings { sum *= sum }
        return sum
    }
}
