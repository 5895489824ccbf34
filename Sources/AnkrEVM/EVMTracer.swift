/// Observes an execution: the frames it enters and leaves, every opcode it steps through and the logs it emits.
///
/// Give one to ``EVM/init(state:block:tx:native:schedule:deadline:tracer:)`` (or ``TransactionExecutor/execute(_:_:state:block:native:deadline:tracer:)``).
/// Without one the interpreter runs its untraced loop: the tracer costs one nil check per frame, none per step.
/// The calls come in execution order on the executing thread: `enterFrame`, then for each opcode `step` and
/// `stepEnded` (for CALL/CREATE `stepEnded` comes before the child frame's `enterFrame`, as geth and revm order
/// them), `log` for each LOGn, and `exitFrame`.
public protocol EVMTracer: AnyObject {
    /// Before a call or creation frame runs (depth 0 is the transaction's own frame).
    func enterFrame(_ frame: TracedFrame)
    /// Before each opcode, with the state an EIP-3155 line shows.
    func step(_ step: TracedStep)
    /// After that opcode — for CALL-family and CREATE-family opcodes once their cost (with the gas given to the child)
    /// is charged, before the child runs. `error` is the failure that ended the frame at this opcode.
    func stepEnded(gasCost: UInt64, error: String?)
    /// A LOGn was emitted in the current frame (it is undone if a frame around it fails).
    func log(_ log: EVMLog)
    /// After a frame ends, with what it returned.
    func exitFrame(_ exit: TracedFrameExit)
}
