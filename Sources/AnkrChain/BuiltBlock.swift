import AnkrPrimitives

/// A block this node built on its head, with the outcome of executing it: what
/// ``Blockchain/produceBlock(candidates:coinbase:timestamp:extraData:)`` returns and
/// ``Blockchain/importBlock(_:sealed:)`` stores once the sealer has sealed `block`, without executing it again.
public struct BuiltBlock: Sendable {
    /// The unsealed block (empty seal).
    public let block: Block
    /// Candidates left out, and why.
    public let rejected: [BlockExecutor.Rejection]
    let receipts: [Receipt]
    /// The state-trie nodes the block wrote.
    let nodes: [H256: [UInt8]]
}
