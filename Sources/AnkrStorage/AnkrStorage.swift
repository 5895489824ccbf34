/// AnkrStorage is the node's database: SQLite through GRDB in WAL mode. ``ChainDatabase`` keeps
/// headers, bodies, receipts, the transaction index, trie nodes, the canonical chain and metadata;
/// everything a block import writes goes in one ``WriteBatch`` and one SQLite transaction, so a
/// crash at any point leaves the previous head intact. It stores encoded bytes and knows nothing
/// of block semantics; `AnkrChain` gives them meaning.
public enum AnkrStorage {}
