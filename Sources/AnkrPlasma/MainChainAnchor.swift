import AnkrPrimitives

/// A main-chain block by number and hash: where a deposit was read, or how far the main chain was
/// scanned. A changed hash at the same number means the main chain reorganised past it.
public struct MainChainAnchor: Equatable, Sendable {
    public let number: UInt64
    public let hash: H256
    public init(number: UInt64, hash: H256) { self.number = number; self.hash = hash }
}
