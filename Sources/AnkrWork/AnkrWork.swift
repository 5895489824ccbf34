/// AnkrWork holds the on-chain side of useful work: ``WorkMarket`` (the system contract),
/// ``WorkMarketState`` (its storage read from a state) and ``WorkNamespace``, the `work_` JSON-RPC
/// methods over it. Subtasks run in AnkrSandbox's `WasmSandbox` (fuel-metered WebAssembly, the
/// module ABI is described there).
public enum AnkrWork {}
