import AnkrChain

/// Byte budgets for responses, so an answer fits in one frame however large the blocks are.
extension Message {
    /// Responses stop growing past this many bytes (at least one item is always sent), so many
    /// large blocks are spread over several answers instead of overflowing the peer's frame limit.
    public static let softResponseBytes = 2 * 1024 * 1024

    /// What one transaction adds to a body in the worst case besides its calldata and access list:
    /// type byte, list and string headers, chain id, nonce, two fee caps, gas, recipient, value,
    /// and v, r, s (about 240 bytes), rounded up.
    static let transactionOverheadBytes = 256

    /// Room for a header (at most 32 bytes of extra data, plus the seal) and message framing.
    static let headerAllowanceBytes = 64 * 1024

    /// The largest encoded block a block gas limit allows. Every transaction pays at least 21,000
    /// gas, each calldata byte at least 4 gas and each access-list byte far more, so a body holds
    /// at most `gasLimit / 4` bytes of payload plus a fixed overhead per transaction. Saturates
    /// instead of overflowing for absurd gas limits.
    public static func maxBlockBytes(gasLimit: UInt64) -> Int {
        let payload = gasLimit / IntrinsicGas.zeroByte
        let transactions = gasLimit / IntrinsicGas.transaction
        let (overhead, o1) = transactions.multipliedReportingOverflow(by: UInt64(transactionOverheadBytes))
        let (sum, o2) = payload.addingReportingOverflow(overhead)
        let (total, o3) = sum.addingReportingOverflow(UInt64(headerAllowanceBytes))
        guard !o1, !o2, !o3, let bytes = Int(exactly: total) else { return .max }
        return bytes
    }

    /// The frame limit for a connection: the default, or twice the largest block our head's gas
    /// limit allows when that is more. The margin covers the gas limit growing (by at most 1/1024
    /// per block) on the chain we are syncing towards.
    public static func frameLimit(gasLimit: UInt64) -> Int {
        let block = maxBlockBytes(gasLimit: gasLimit)
        let (doubled, overflow) = block.multipliedReportingOverflow(by: 2)
        guard !overflow, doubled <= Int(UInt32.max) else { return Int(UInt32.max) }
        return max(FrameDecoder.defaultMaxFrameBytes, doubled)
    }

    /// An upper bound on the bytes one body adds to a `bodies` message.
    static func encodedBytes(ofBody transactions: [Transaction]) -> Int {
        // Each transaction sits in a string header of at most 5 bytes; the body's list header too.
        transactions.reduce(5) { $0 + $1.encoded.count + 5 }
    }
}
