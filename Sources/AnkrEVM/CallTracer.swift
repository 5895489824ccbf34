import AnkrPrimitives

/// geth's `callTracer`: the tree of call and creation frames a transaction ran.
///
/// Each frame is `{type, from, to, value, gas, gasUsed, input, output, error, revertReason, calls, logs}` with geth's
/// omissions: `to` is dropped from a creation that failed, `value` from STATICCALL, `output` when empty or when the
/// frame failed without reverting, `revertReason` unless the revert data is `Error(string)`. With `withLog` each frame
/// carries its logs as `{address, topics, data, position}` (`position`: how many child calls came before the log);
/// logs of frames that were reverted — or under one that was — are removed, as geth does. The top frame's `gas` and
/// `gasUsed` are the transaction's, given to ``result(gasLimit:gasUsed:)``.
public final class CallTracer: EVMTracer {
    public let onlyTopCall: Bool
    public let withLog: Bool
    /// The most the tree may hold, counted as its JSON will need it (hex doubles the bytes of inputs, outputs and
    /// log data, plus a fixed allowance per frame and log): a loop of calls with large calldata would otherwise
    /// keep gigabytes of copies for one trace. Past it recording stops and ``result(gasLimit:gasUsed:)`` throws.
    public let maxResultBytes: Int
    /// What the recorded frames and logs will need.
    private var heldBytes = 0
    private var overflowed = false
    static let bytesPerFrame = 320, bytesPerLog = 160, bytesPerTopic = 70

    private struct Call {
        let kind: TracedFrame.Kind
        let from: Address
        var to: Address?
        let input: [UInt8]
        var gas: UInt64
        let value: UInt256?
        var gasUsed: UInt64 = 0
        var output: [UInt8] = []
        var error: String?
        var revertReason: String?
        var reverted = false
        var calls: [Call] = []
        var logs: [(log: EVMLog, position: Int)] = []
    }

    /// The frames entered and not yet left, the transaction's first.
    private var open: [Call] = []
    private var top: Call?
    /// Frames deeper than the top one while `onlyTopCall` skips them.
    private var skipped = 0

    public init(onlyTopCall: Bool = false, withLog: Bool = false, maxResultBytes: Int = StructLoggerConfig.defaultMaxResultBytes) {
        self.onlyTopCall = onlyTopCall
        self.withLog = withLog
        self.maxResultBytes = maxResultBytes
    }

    /// Counts `bytes` more; false (and everything recorded dropped) once past the bound.
    private func hold(_ bytes: Int) -> Bool {
        guard !overflowed else { return false }
        let (sum, overflow) = heldBytes.addingReportingOverflow(bytes)
        guard !overflow, sum <= maxResultBytes else {
            overflowed = true
            open = []
            top = nil
            return false
        }
        heldBytes = sum
        return true
    }

    public func enterFrame(_ frame: TracedFrame) {
        if onlyTopCall, !open.isEmpty {
            skipped += 1
            return
        }
        // Past the bound frames are still counted (so exits pair with entries) but hold nothing.
        guard hold(Self.bytesPerFrame + 2 * frame.input.count) else {
            skipped += 1
            return
        }
        open.append(Call(kind: frame.kind, from: frame.from, to: frame.to, input: frame.input, gas: frame.gas, value: frame.value))
    }

    public func step(_ step: TracedStep) {}
    public func stepEnded(gasCost: UInt64, error: String?) {}

    public func log(_ log: EVMLog) {
        guard withLog, skipped == 0, !open.isEmpty, hold(Self.bytesPerLog + 2 * log.data.count + Self.bytesPerTopic * log.topics.count) else { return }
        open[open.count - 1].logs.append((log, open[open.count - 1].calls.count))
    }

    public func exitFrame(_ exit: TracedFrameExit) {
        if skipped > 0 {
            skipped -= 1
            return
        }
        guard !open.isEmpty, hold(2 * exit.output.count), var call = open.popLast() else { return }
        call.gasUsed = exit.gasUsed
        if let error = exit.gethError {
            call.error = error
            call.reverted = true
            if call.kind.isCreation { call.to = nil }
            if exit.status == .revert, !exit.output.isEmpty {
                call.output = exit.output
                call.revertReason = ABI.revertReason(exit.output)
            }
        } else {
            call.output = exit.output
        }
        if open.isEmpty { top = call } else { open[open.count - 1].calls.append(call) }
    }

    /// The call tree; nil when no frame ran (a transaction that never started).
    public func result(gasLimit: UInt64, gasUsed: UInt64) throws(CallTracerError) -> JSON? {
        guard !overflowed else { throw .traceTooLarge(limitBytes: maxResultBytes) }
        guard var call = top else { return nil }
        call.gas = gasLimit
        call.gasUsed = gasUsed
        return json(call, parentFailed: false)
    }

    private func json(_ c: Call, parentFailed: Bool) -> JSON {
        let failed = parentFailed || (c.error != nil && c.reverted)
        var o: [String: JSON] = ["type": .string(c.kind.rawValue), "from": .string(c.from.bytes.hexPrefixed), "gas": .string(UInt256(c.gas).hexQuantity),
                                 "gasUsed": .string(UInt256(c.gasUsed).hexQuantity), "input": .string(c.input.hexPrefixed)]
        if let to = c.to { o["to"] = .string(to.bytes.hexPrefixed) }
        if let value = c.value { o["value"] = .string(value.hexQuantity) }
        if !c.output.isEmpty { o["output"] = .string(c.output.hexPrefixed) }
        if let error = c.error { o["error"] = .string(error) }
        if let reason = c.revertReason { o["revertReason"] = .string(reason) }
        if !c.calls.isEmpty { o["calls"] = .array(c.calls.map { json($0, parentFailed: failed) }) }
        if withLog, !failed, !c.logs.isEmpty {
            o["logs"] = .array(c.logs.map { entry in
                ["address": .string(entry.log.address.bytes.hexPrefixed), "topics": .array(entry.log.topics.map { .string($0.bytes.hexPrefixed) }),
                 "data": .string(entry.log.data.hexPrefixed), "position": .string(UInt256(UInt64(entry.position)).hexQuantity)]
            })
        }
        return .object(o)
    }
}
