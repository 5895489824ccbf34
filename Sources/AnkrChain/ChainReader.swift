import AnkrPrimitives

/// What a consensus engine or a work source may read of the chain, as go-ethereum's engines get a
/// `ChainHeaderReader` and reth's a `BlockReader`: passed into each call, never closures back into
/// the node. ``Blockchain`` is one.
public protocol ChainReader: Sendable {
    var chainID: UInt64 { get }
    /// The head of the canonical chain.
    var head: BlockHeader { get }
    func header(hash: H256) throws -> BlockHeader?
    /// `header` and up to `count − 1` of its ancestors, newest first.
    func ancestors(of header: BlockHeader, count: Int) -> [BlockHeader]
    /// The state after `header` (reads; writes stay in memory).
    func state(at header: BlockHeader) -> WorldState
}

extension Blockchain: ChainReader {}
