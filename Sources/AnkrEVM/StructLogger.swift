import AnkrPrimitives

/// geth's default opcode logger (`debug_traceTransaction` without a named tracer): one entry per executed opcode.
///
/// The result is `{gas, failed, returnValue, structLogs: [{pc, op, gas, gasCost, depth, stack?, memory?, storage?,
/// returnData?, refund, error?}]}` in the shape of execution-apis' `OpcodeTransactionTrace`: numbers as JSON integers,
/// stack words as hex quantities bottom first, memory as 0x-prefixed 32-byte words, storage (at SLOAD and SSTORE only)
/// as the contract's slots touched so far, `refund` at every step, `error` in geth's words on the opcode that failed
/// its frame. Bounded by ``StructLoggerConfig/maxResultBytes``.
public final class StructLogger: EVMTracer {
    public let config: StructLoggerConfig

    private struct Entry {
        let pc: Int, op: UInt8, gas: UInt64, depth: Int, refund: Int64
        var gasCost: UInt64 = 0
        let stack: [UInt256]?, memory: [UInt8]?, returnData: [UInt8]?, storage: [UInt256: UInt256]?
        var error: String?
    }

    private var entries: [Entry] = []
    /// Per contract, the slots read or written so far (what each SLOAD/SSTORE entry shows).
    private var storage: [Address: [UInt256: UInt256]] = [:]
    /// The JSON size of what is recorded so far (an estimate from above).
    private var bytes = 0
    private var steps = 0
    private var overflow: StructLoggerError?
    /// Whether the step in progress was recorded (so its `stepEnded` has an entry to complete).
    private var recording = false

    public init(config: StructLoggerConfig = StructLoggerConfig()) { self.config = config }

    public func enterFrame(_ frame: TracedFrame) {}
    public func exitFrame(_ exit: TracedFrameExit) {}
    public func log(_ log: EVMLog) {}

    public func step(_ step: TracedStep) {
        defer { steps += 1 }
        recording = false
        guard overflow == nil, config.limit <= 0 || entries.count < config.limit else { return }
        var snapshot: [UInt256: UInt256]?
        if !config.disableStorage, step.op == 0x54 || step.op == 0x55 {
            // SLOAD records the value it reads, SSTORE the value it writes (geth's order: key on top, value below).
            if step.op == 0x54, let key = step.stackBack(0) {
                storage[step.contract, default: [:]][key] = step.storage(key)
                snapshot = storage[step.contract]
            } else if step.op == 0x55, let key = step.stackBack(0), let value = step.stackBack(1) {
                storage[step.contract, default: [:]][key] = value
                snapshot = storage[step.contract]
            }
        }
        var size = 110 + (config.disableStack ? 0 : 70 * step.stackCount)
        if config.enableMemory { size += step.memorySize / 32 * 69 }
        if config.enableReturnData { size += 2 * step.returnData.count + 20 }
        if let snapshot { size += 136 * snapshot.count }
        guard size <= config.maxResultBytes - bytes else {
            overflow = .traceTooLarge(limitBytes: config.maxResultBytes, step: steps)
            entries = []
            storage = [:]
            return
        }
        bytes += size
        entries.append(Entry(pc: step.pc, op: step.op, gas: step.gas, depth: step.depth, refund: step.refund,
                             stack: config.disableStack ? nil : step.stack, memory: config.enableMemory ? step.memory : nil,
                             returnData: config.enableReturnData ? step.returnData : nil, storage: snapshot))
        recording = true
    }

    public func stepEnded(gasCost: UInt64, error: String?) {
        guard recording, !entries.isEmpty else { return }
        recording = false
        entries[entries.count - 1].gasCost = gasCost
        if let error {
            let error = TracedFrameExit.gethMessage(forFailure: error)
            entries[entries.count - 1].error = error
            bytes += error.utf8.count + 12
        }
    }

    /// The trace as `debug_trace*` answers it: `gasUsed` is the transaction's (after refunds), `failed` whether it
    /// reverted or failed, `output` what it returned (its revert data when it reverted).
    public func result(gasUsed: UInt64, failed: Bool, output: [UInt8]) throws(StructLoggerError) -> JSON {
        if let overflow { throw overflow }
        return ["gas": .int(clamping: gasUsed), "failed": .bool(failed), "returnValue": .string(output.hexPrefixed),
                "structLogs": .array(entries.map(Self.json))]
    }

    private static func json(_ e: Entry) -> JSON {
        var o: [String: JSON] = ["pc": .int(clamping: e.pc), "op": .string(TracedStep.name(of: e.op) ?? Self.undefinedName(e.op)),
                                 "gas": .int(clamping: e.gas), "gasCost": .int(clamping: e.gasCost), "depth": .int(clamping: e.depth),
                                 "refund": .int(clamping: max(0, e.refund))]
        if let stack = e.stack { o["stack"] = .array(stack.map { .string($0.hexQuantity) }) }
        if let memory = e.memory {
            o["memory"] = .array(stride(from: 0, to: memory.count, by: 32).map { .string(Array(memory[$0..<min($0 + 32, memory.count)]).hexPrefixed) })
        }
        if let data = e.returnData { o["returnData"] = .string(data.hexPrefixed) }
        if let storage = e.storage {
            var s: [String: JSON] = [:]
            for (k, v) in storage { s[k.bigEndianBytes.hexPrefixed] = .string(v.bigEndianBytes.hexPrefixed) }
            o["storage"] = .object(s)
        }
        if let error = e.error { o["error"] = .string(error) }
        return .object(o)
    }

    /// geth's name for a byte that is no opcode.
    static func undefinedName(_ op: UInt8) -> String { "opcode 0x\(String(op, radix: 16)) not defined" }
}
