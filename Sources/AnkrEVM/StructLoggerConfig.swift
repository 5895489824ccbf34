/// What ``StructLogger`` records per step: geth's opcode-logger options (`debug_trace*`'s TraceConfig).
public struct StructLoggerConfig: Sendable, Equatable {
    /// Record memory as 32-byte words.
    public var enableMemory: Bool
    /// Leave the stack out.
    public var disableStack: Bool
    /// Leave the storage snapshots of SLOAD and SSTORE out.
    public var disableStorage: Bool
    /// Record the last call's return data.
    public var enableReturnData: Bool
    /// Record at most this many steps (0: no limit); execution goes on past it, as geth's.
    public var limit: Int
    /// The bound on what the logger holds, measured as the size of the JSON it will produce: a trace that
    /// grows past it stops recording and ``StructLogger/result(gasUsed:failed:output:)`` throws.
    public var maxResultBytes: Int

    /// 64 MiB of JSON: far above a block-sized contract call with memory off, small enough for a node to hold.
    public static let defaultMaxResultBytes = 64 << 20

    public init(enableMemory: Bool = false, disableStack: Bool = false, disableStorage: Bool = false, enableReturnData: Bool = false,
                limit: Int = 0, maxResultBytes: Int = defaultMaxResultBytes) {
        self.enableMemory = enableMemory; self.disableStack = disableStack; self.disableStorage = disableStorage
        self.enableReturnData = enableReturnData; self.limit = limit; self.maxResultBytes = maxResultBytes
    }
}
