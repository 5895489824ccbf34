import AnkrPrimitives

/// EIP-1559 base fee: it moves by at most 1/8 per block toward keeping blocks half full.
public enum BaseFee {
    public static let elasticityMultiplier: UInt64 = 2
    public static let changeDenominator: UInt64 = 8

    /// The base fee of the child of `parent`.
    public static func next(after parent: BlockHeader) -> UInt256 {
        let target = parent.gasLimit / elasticityMultiplier
        let base = parent.baseFeePerGas
        guard target > 0, parent.gasUsed != target else { return base }
        if parent.gasUsed > target {
            let delta = base.multipliedReportingOverflow(by: UInt256(parent.gasUsed - target)).partialValue
                / UInt256(target) / UInt256(changeDenominator)
            let step = delta.isZero ? UInt256.one : delta
            let (sum, overflow) = base.addingReportingOverflow(step)
            return overflow ? .max : sum
        }
        let delta = base.multipliedReportingOverflow(by: UInt256(target - parent.gasUsed)).partialValue
            / UInt256(target) / UInt256(changeDenominator)
        return base > delta ? base &- delta : .zero
    }
}
