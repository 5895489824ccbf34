import AnkrChain
import AnkrEVM
import AnkrPrimitives
import AnkrRPC

/// One transaction's tracer, made from a ``DebugTraceConfig``, and the JSON it answers once the
/// transaction has run: the opcode logger's `{gas, failed, returnValue, structLogs}` or the call tracer's frame tree.
enum DebugTracer {
    case opcodeLogger(StructLogger)
    case callTracer(CallTracer)

    /// `maxResultBytes` bounds what the tracer may hold (what is left of the call's budget).
    init(_ config: DebugTraceConfig, maxResultBytes: Int) {
        switch config.tracer {
        case .opcodeLogger(var options):
            options.maxResultBytes = maxResultBytes
            self = .opcodeLogger(StructLogger(config: options))
        case .callTracer(let onlyTopCall, let withLog):
            self = .callTracer(CallTracer(onlyTopCall: onlyTopCall, withLog: withLog, maxResultBytes: maxResultBytes))
        }
    }

    /// What the EVM is given.
    var evmTracer: any EVMTracer {
        switch self {
        case .opcodeLogger(let logger): return logger
        case .callTracer(let tracer): return tracer
        }
    }

    /// The trace of a run that bought `gasLimit` and used `gasUsed` (refunds applied), ending with `output`.
    /// A trace that outgrew its bound is a -32000 error.
    func result(gasLimit: UInt64, gasUsed: UInt64, failed: Bool, output: [UInt8]) throws -> JSON {
        switch self {
        case .opcodeLogger(let logger):
            do { return try logger.result(gasUsed: gasUsed, failed: failed, output: output) } catch { throw RPCError.server(error.description) }
        case .callTracer(let tracer):
            do { return try tracer.result(gasLimit: gasLimit, gasUsed: gasUsed) ?? .null } catch { throw RPCError.server(error.description) }
        }
    }
}
