import AnkrPrimitives

/// Difficulty in expected instructions per block (target = 2^256 / difficulty), retargeted every
/// block in proportion to how far the last block time missed the target:
/// d' = d + d·(blockTime − elapsed) / (8·blockTime), with elapsed capped at 4·blockTime — so at most
/// +1/8 and −3/8 per block, never below the minimum. Being linear in elapsed time, the rule is
/// (nearly) unbiased for exponential block times: the average settles on the target.
public enum Difficulty {
    public static func next(parentDifficulty d: UInt256, parentTimestamp: UInt64, timestamp: UInt64, blockTime: UInt64,
                            minimum: UInt256) -> UInt256 {
        // Genesis may set any block time: 4× and 8× it are taken in 256 bits, where they cannot overflow.
        let target = UInt256(max(1, blockTime))
        let elapsed = min(max(.one, timestamp > parentTimestamp ? UInt256(timestamp - parentTimestamp) : .one), UInt256(4) &* target)
        let unit = d / (UInt256(8) &* target)  // d / (8·blockTime): one second's worth of adjustment
        let next: UInt256
        if elapsed < target {
            let (up, overflow) = unit.multipliedReportingOverflow(by: target &- elapsed)
            next = overflow ? .max : (d.addingReportingOverflow(up).overflow ? .max : d &+ up)
        } else {
            let down = unit &* (elapsed &- target)  // ≤ d·3/8: no wrap
            next = d > down ? d &- down : .zero
        }
        return max(minimum, next)
    }
}
