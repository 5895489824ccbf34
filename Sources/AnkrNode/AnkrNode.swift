/// AnkrNode wires a node together: the ``Node`` opens the database and chain, runs the
/// ``BlockProducer`` with its sealer, admits transactions to the mempool and serves JSON-RPC.
/// ``DevGenesis`` describes the throwaway chain of `ankr node --dev`.
public enum AnkrNode {}
