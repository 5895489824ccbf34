import AnkrPrimitives

/// One event of a child chain's root, with the main-chain block it was emitted in.
public struct MainChainLog: Sendable {
    public let block: MainChainAnchor
    /// The event's arguments, in declaration order.
    public let arguments: [ABIValue]
    public init(block: MainChainAnchor, arguments: [ABIValue]) { self.block = block; self.arguments = arguments }
}
