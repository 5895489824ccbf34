/// AnkrConsensus is Proof of Useful Work (after REM): ``PoUWSealer`` mines by running useful-work
/// subtasks (from a ``WorkSource``, else its built-in workload) in an enclave's metered sandbox,
/// drawing the ``Lottery`` once per subtask with the number of instructions executed, and seals a
/// block with the enclave's signed ``PoUWStatement`` plus attestation evidence (``PoUWSeal``).
/// Validators check every part of a seal, reading ancestors and the WorkMarket's modules through the
/// ``ChainReader`` each call is given; none is optional. ``Difficulty`` (expected instructions per
/// block) is retargeted every block toward the configured block time.
///
/// The node asks ``AnkrConsensus/sealer(pouw:miner:)`` for the sealer its genesis calls for and
/// otherwise sees only the `Sealer` protocol.
public enum AnkrConsensus {}
