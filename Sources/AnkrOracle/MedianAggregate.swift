import AnkrPrimitives

/// The answer for price-like values from several sources: the median of those within
/// `maxDeviationBps` (basis points) of the median of all, refused unless at least `quorum` agree.
/// With an even count the lower middle value is taken, so no rounding is ever involved.
public struct MedianAggregate: Sendable {
    public let quorum: Int
    public let maxDeviationBps: UInt64

    public init(quorum: Int, maxDeviationBps: UInt64) {
        self.quorum = max(1, quorum)
        self.maxDeviationBps = maxDeviationBps
    }

    public func aggregate(_ values: [DecimalValue]) throws -> DecimalValue {
        guard values.count >= quorum else { throw OracleError.tooFewAgree(agreeing: values.count, required: quorum) }
        let sorted = values.sorted()
        let middle = sorted[(sorted.count - 1) / 2]
        let agreeing = sorted.filter { within($0, of: middle) }
        guard agreeing.count >= quorum else { throw OracleError.tooFewAgree(agreeing: agreeing.count, required: quorum) }
        return agreeing[(agreeing.count - 1) / 2]
    }

    /// |v − m| · 10,000 ≤ |m| · maxDeviationBps, in 512-bit-safe steps (no overflow, no division).
    func within(_ v: DecimalValue, of m: DecimalValue) -> Bool {
        let diff: UInt256
        if v.negative == m.negative {
            diff = v.magnitude > m.magnitude ? v.magnitude &- m.magnitude : m.magnitude &- v.magnitude
        } else {
            let (sum, overflow) = v.magnitude.addingReportingOverflow(m.magnitude)
            if overflow { return false }
            diff = sum
        }
        let (left, o1) = diff.multipliedReportingOverflow(by: UInt256(10_000))
        let (right, o2) = m.magnitude.multipliedReportingOverflow(by: UInt256(maxDeviationBps))
        if o1 { return o2 && diff <= m.magnitude }  // both huge: compare at the coarser scale
        return o2 || left <= right
    }
}
