/// AnkrWork runs useful work: WebAssembly modules in a WasmKit sandbox with fuel metering on, so
/// every executed operator is counted and the same subtask always yields the same fuel and output.
///
/// Module ABI (what a useful-work module must look like):
/// - no imports at all (no host functions, so nothing non-deterministic can leak in);
/// - exports `memory` (its growth is capped by ``WasmSandbox/Limits/maxMemoryBytes``);
/// - exports `alloc(len: i32) -> i32`, returning where the host may write `len` input bytes;
/// - exports `run(ptr: i32, len: i32) -> i64`, returning `(outputPtr << 32) | outputLen`, the
///   output bytes in the module's memory.
/// Fuel counts `alloc` and `run` (roughly one unit per Wasm operator, WasmKit's definition);
/// a subtask that exceeds its budget stops with ``WorkError/outOfFuel(limit:)``.
public enum AnkrWork {}
