import AnkrEVM

/// A tracer that ignores what it is told: what the tracing seam itself costs (building each step's view).
final class EVMBenchNoopTracer: EVMTracer {
    func enterFrame(_ frame: TracedFrame) {}
    func step(_ step: TracedStep) {}
    func stepEnded(gasCost: UInt64, error: String?) {}
    func log(_ log: EVMLog) {}
    func exitFrame(_ exit: TracedFrameExit) {}
}
