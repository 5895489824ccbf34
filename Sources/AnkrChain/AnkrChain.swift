/// AnkrChain owns the main chain: Ethereum-exact ``Transaction``s (legacy with EIP-155, EIP-2930,
/// EIP-1559), ``BlockHeader``/``Block``, ``Receipt``s with logs and blooms, the ``WorldState`` over the
/// secure trie, the ``StateTransition`` and ``BlockExecutor`` (with ``SystemContract`` dispatch),
/// ``Genesis``, the ``Mempool`` and the ``Blockchain`` block tree with fork choice.
///
/// Seams for the layers above: a ``Sealer`` (consensus engine) is handed a ``ChainReader`` on every
/// call; blocks take one path — ``Blockchain/produceBlock(candidates:coinbase:timestamp:extraData:)``
/// builds and executes a ``BuiltBlock``, ``Blockchain/importBlock(_:sealed:)`` stores it once sealed,
/// ``Blockchain/importBlock(_:)`` validates anyone else's — and every stored block is one
/// ``BlockImport`` event on ``Blockchain/imports`` (an ``EventFeed``) that the mempool, the block
/// producer, P2P and metrics follow. Transactions enter the pool by one door, ``Mempool/add(_:state:head:origin:)``,
/// whose ``Mempool/admissions`` feed the producer and P2P follow.
public enum AnkrChain {}
