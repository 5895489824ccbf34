/// AnkrSandbox runs useful work: WebAssembly modules in a WasmKit sandbox with fuel metering on, so
/// every executed operator is counted and the same subtask always yields the same fuel and output.
/// It is the part of the node that also runs inside the enclave process (`ankr-enclave`), so it
/// depends on nothing but AnkrPrimitives and WasmKit.
///
/// Module ABI (what a useful-work module must look like):
/// - no imports at all (no host functions, so nothing non-deterministic can leak in);
/// - no start function, and memory, table and segment sizes within ``ModuleAdmission``'s bounds
///   (instantiation runs before the fuel budget is set, so it must do no guest work and bounded work);
/// - exports `memory` (its growth is capped by ``WasmSandbox/Limits/maxMemoryBytes``);
/// - exports `alloc(len: i32) -> i32`, returning where the host may write `len` input bytes;
/// - exports `run(ptr: i32, len: i32) -> i64`, returning `(outputPtr << 32) | outputLen`, the
///   output bytes in the module's memory.
/// Fuel counts `alloc` and `run` (roughly one unit per Wasm operator, WasmKit's definition);
/// a subtask that exceeds its budget stops with ``WorkError/outOfFuel(limit:)``. Callers that must
/// not wait on a fault (miners, validators) add a wall-clock ``SubtaskDeadline`` on top of fuel.
///
/// Main types: ``WorkModule`` (an admitted, parsed module), ``WasmSandbox`` (runs one subtask),
/// ``SubtaskResult``, ``WorkError``.
public enum AnkrSandbox {}
