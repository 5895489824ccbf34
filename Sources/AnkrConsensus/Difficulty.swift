import AnkrChain
import AnkrPrimitives

/// Difficulty in expected instructions per block (target = 2^256 / difficulty), retargeted every
/// block: scaled by blockTime / elapsed, at most ±1/8 per block, never below the minimum.
public enum Difficulty {
    public static func next(parentDifficulty d: UInt256, parentTimestamp: UInt64, timestamp: UInt64, blockTime: UInt64,
                            minimum: UInt256) -> UInt256 {
        let elapsed = UInt256(max(1, timestamp > parentTimestamp ? timestamp - parentTimestamp : 1))
        let scaled = d.multipliedReportingOverflow(by: UInt256(max(1, blockTime))).overflow
            ? d : d.multipliedReportingOverflow(by: UInt256(max(1, blockTime))).partialValue / elapsed
        let step = d / UInt256(8)
        let upper = d.addingReportingOverflow(step).overflow ? UInt256.max : d &+ step
        let lower = d &- step
        return max(minimum, min(upper, max(lower, scaled)))
    }
}
