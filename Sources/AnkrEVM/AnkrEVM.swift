/// AnkrEVM holds the Cancun EVM: the interpreter (``EVM``, its frames, gas schedule and precompiles), the transaction
/// rules (``TransactionExecutor``), the GeneralStateTests runner (``StateTest``), and execution tracing —
/// the ``EVMTracer`` seam the interpreter reports frames, steps and logs to (free when no tracer is given) and the
/// tracers built on it: ``StructLogger`` (geth's opcode logger), ``CallTracer`` (geth's callTracer),
/// ``AccessListTracer`` (eth_createAccessList) and ``EIP3155Tracer`` (EIP-3155 lines as revm prints them).
public enum AnkrEVM {}
