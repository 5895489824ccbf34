import AnkrPrimitives

/// How a traced frame ended.
public struct TracedFrameExit: Sendable, Equatable {
    /// What the frame returned (RETURN/REVERT data; for a successful creation the deployed code).
    public let output: [UInt8]
    /// The frame's gas less what it handed back (all of it on failure).
    public let gasUsed: UInt64
    public let status: FrameResult.Status
    /// The created contract (successful creations only).
    public let created: Address?

    public init(output: [UInt8], gasUsed: UInt64, status: FrameResult.Status, created: Address?) {
        self.output = output; self.gasUsed = gasUsed; self.status = status; self.created = created
    }
}
