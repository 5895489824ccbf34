/// AnkrNode wires a node together: the ``Node`` opens the database and chain, runs the
/// ``BlockProducer`` with its sealer, admits transactions to the mempool and serves JSON-RPC.
/// ``NodeConfiguration`` holds an operator's settings (defaults, a TOML file, flags) and turns them
/// into a ``Node/Configuration``; ``DataDirectory`` owns every file of a datadir, key files included.
/// ``DevGenesis`` describes the throwaway chain of `ankr node --dev` and the public development keys that
/// chain and devnets unlock for `eth_sendTransaction` (``DevGenesis/unlockedKeys(genesis:)``).
public enum AnkrNode {}
