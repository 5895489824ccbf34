import AnkrPrimitives

/// The interpreter's state before one opcode, as an EIP-3155 line shows it.
///
/// Cheap to make: the memory and return data are the frame's own copy-on-write buffers and the stack is read
/// on demand, so a tracer pays only for what it reads. Read it inside ``EVMTracer/step(_:)``: the stack view
/// and ``storage(_:)`` show the live state, which the next opcode changes.
public struct TracedStep {
    /// The opcode's offset in the running code.
    public let pc: Int
    public let op: UInt8
    /// Gas left before the opcode.
    public let gas: UInt64
    /// 1 for the transaction's frame, +1 per nested call (EIP-3155 and geth's structLogs count from 1).
    public let depth: Int
    /// The transaction's refund counter so far.
    public let refund: Int64
    /// The frame's memory.
    public let memory: [UInt8]
    /// What the last call or creation in this frame returned.
    public let returnData: [UInt8]
    /// Whose storage SLOAD and SSTORE act on (the frame's target).
    public let contract: Address
    /// The frame's stack storage (held so the words stay readable) and its depth at this step.
    let liveStack: Stack
    /// Number of words on the stack.
    public let stackCount: Int
    let evm: EVM

    init(pc: Int, op: UInt8, gas: UInt64, depth: Int, refund: Int64, memory: [UInt8], returnData: [UInt8], contract: Address, stack: Stack,
         stackCount: Int, evm: EVM) {
        self.pc = pc; self.op = op; self.gas = gas; self.depth = depth; self.refund = refund; self.memory = memory
        self.returnData = returnData; self.contract = contract; liveStack = stack; self.stackCount = stackCount; self.evm = evm
    }

    /// Memory size in bytes (always a multiple of 32).
    public var memorySize: Int { memory.count }

    /// The whole stack, bottom first.
    public var stack: [UInt256] { (0..<stackCount).map { liveStack.base[$0] } }

    /// The `index`-th word from the top (0 is the top); nil past the bottom.
    public func stackBack(_ index: Int) -> UInt256? {
        guard index >= 0, index < stackCount else { return nil }
        // 0 ≤ stackCount − 1 − index < stackCount ≤ Stack.limit: inside the allocation, and a word the frame wrote.
        return liveStack.base[stackCount - 1 - index]
    }

    /// The current value of `key` in ``contract``'s storage (what SLOAD would read).
    public func storage(_ key: UInt256) -> UInt256 { evm.state.storage(contract, key) }
}
