import AnkrPrimitives

/// Difficulty in expected instructions per block (target = 2^256 / difficulty), retargeted every
/// block in proportion to how far the last block time missed the target:
/// d' = d + d·(blockTime − elapsed) / (8·blockTime), with elapsed capped at 4·blockTime — so at most
/// +1/8 and −3/8 per block, never below the minimum. Being linear in elapsed time, the rule is
/// (nearly) unbiased for exponential block times: the average settles on the target.
public enum Difficulty {
    public static func next(parentDifficulty d: UInt256, parentTimestamp: UInt64, timestamp: UInt64, blockTime: UInt64,
                            minimum: UInt256) -> UInt256 {
        let target = max(1, blockTime)
        let elapsed = min(max(1, timestamp > parentTimestamp ? timestamp - parentTimestamp : 1), 4 * target)
        let unit = d / UInt256(8 * target)  // d / (8·blockTime): one second's worth of adjustment
        let next: UInt256
        if elapsed < target {
            let (up, overflow) = unit.multipliedReportingOverflow(by: UInt256(target - elapsed))
            next = overflow ? .max : (d.addingReportingOverflow(up).overflow ? .max : d &+ up)
        } else {
            let down = unit &* UInt256(elapsed - target)
            next = d > down ? d &- down : .zero
        }
        return max(minimum, next)
    }
}
