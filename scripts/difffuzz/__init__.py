"""Differential EVM fuzzing: Ankr (`ankr evm batch`) against revm (PyPI `pyrevm`).

The modules, in the order a case goes through them:
  opcodes   — the Cancun opcode table with what each operand means (offset, size, address, …)
  values    — operand values biased to boundaries (0, 1, 2^63, 2^64±k, 2^255, 2^256−1, memory limits)
  generator — deterministic cases from (seed, index): random programs and mutated GeneralStateTests code
  revm      — runs a case in pyrevm and describes the outcome
  ankr      — keeps one `ankr evm batch` process, restarts it when Ankr crashes
  compare   — the differences between two outcomes, and a divergence's signature
  minimise  — shrinks a diverging case while it keeps diverging the same way
  campaign  — runs many cases, minimises what diverges, reports cases/s and findings
  trace     — step-for-step EIP-3155 trace comparison (scripts/evm-tracecheck)
"""
