/// AnkrConsensus is Proof of Useful Work (after REM): ``PoUWSealer`` mines by running useful-work
/// subtasks in an enclave's metered sandbox, drawing the ``Lottery`` once per subtask with the
/// number of instructions executed, and seals a block with the enclave's signed ``PoUWStatement``
/// plus attestation evidence (``PoUWSeal``). Validators check every part of a seal; none is
/// optional. ``Difficulty`` (expected instructions per block) is retargeted every block toward the
/// configured block time.
public enum AnkrConsensus {}
