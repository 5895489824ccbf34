import AnkrPrimitives

/// Writes an EIP-3155 trace: one JSON line per executed opcode, then a summary line when the transaction's frame ends.
///
/// Field for field what revm's `TracerEip3155` prints (pyrevm 0.3.7, revm 8), in its order:
///
///     {"pc":0,"op":96,"gas":"0x13498","gasCost":"0x3","stack":[],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","opName":"PUSH1"}
///     {"stateRoot":"0x00…00","output":"0x","gasUsed":"0x5208","pass":true,"fork":"Cancun"}
///
/// `gas`, `gasCost` and `refund` are hex quantities, `memSize` a decimal string, `stack` bottom first; `opName` is
/// absent for undefined opcodes, `error` present on the opcode that ended its frame, `memory` (hex) only with
/// `includeMemory`. Two differences from revm, both where revm leaves the EIP's meaning: `returnData` holds the last
/// call's return data (revm always prints "0x"), and `refund` is the transaction's refund counter (revm prints the
/// running frame's). A line is written once the opcode's cost is known — for CALL and CREATE before the child's lines.
public final class EIP3155Tracer: EVMTracer {
    private let write: (String) -> Void
    private let includeMemory: Bool
    private let intrinsicGas: UInt64
    /// The step whose line waits for its cost: the text before and after `gasCost`, and the memory (when included).
    private var pending: (head: String, tail: String, memory: String?)?
    private var depth = 0
    private let maxSteps: Int
    private var written = 0
    /// Whether steps past `maxSteps` went unwritten.
    public private(set) var truncated = false

    /// `intrinsicGas` is added to the top frame's gas used in the summary (the transaction's gas used before refunds,
    /// as revm counts it); 0 for a bare call. Past `maxSteps` step lines the steps are neither formatted nor written
    /// (a looping program runs millions of them) and ``truncated`` is set; the summary line is always written.
    public init(includeMemory: Bool = false, intrinsicGas: UInt64 = 0, maxSteps: Int = .max, write: @escaping (String) -> Void) {
        self.includeMemory = includeMemory; self.intrinsicGas = intrinsicGas; self.maxSteps = maxSteps; self.write = write
    }

    public func enterFrame(_ frame: TracedFrame) { depth += 1 }

    public func step(_ step: TracedStep) {
        guard written < maxSteps else { truncated = true; return }
        let head = "{\"pc\":\(step.pc),\"op\":\(step.op),\"gas\":\"\(Self.hex(step.gas))\",\"gasCost\":\""
        var tail = "\",\"stack\":["
        var first = true
        for word in step.stack {
            if !first { tail += "," }
            first = false
            tail += "\"\(word.hexQuantity)\""
        }
        tail += "],\"depth\":\(step.depth),\"returnData\":\"\(step.returnData.hexPrefixed)\",\"refund\":\"\(Self.hex(UInt64(bitPattern: step.refund)))\""
        tail += ",\"memSize\":\"\(step.memorySize)\""
        if let name = step.opName { tail += ",\"opName\":\"\(name)\"" }
        pending = (head, tail, includeMemory ? step.memory.hexPrefixed : nil)
    }

    public func stepEnded(gasCost: UInt64, error: String?) {
        guard let (head, tail, memory) = pending else { return }
        pending = nil
        written += 1
        var line = head + Self.hex(gasCost) + tail
        if let error { line += ",\"error\":" + JSON.string(error).text }
        if let memory { line += ",\"memory\":\"\(memory)\"" }
        write(line + "}")
    }

    public func log(_ log: EVMLog) {}

    public func exitFrame(_ exit: TracedFrameExit) {
        depth -= 1
        guard depth == 0 else { return }
        let pass = exit.status == .success
        let (used, overflow) = intrinsicGas.addingReportingOverflow(exit.gasUsed)
        write("{\"stateRoot\":\"0x\(String(repeating: "0", count: 64))\",\"output\":\"\(exit.output.hexPrefixed)\","
              + "\"gasUsed\":\"\(Self.hex(overflow ? .max : used))\",\"pass\":\(pass),\"fork\":\"Cancun\"}")
    }

    private static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
}
