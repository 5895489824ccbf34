import AnkrPrimitives

/// One connected peer, as ``NetworkStatus`` reports it.
public struct NetworkPeer: Sendable, Equatable {
    /// The peer's node key, hex without `0x`.
    public var nodeID: String
    /// Its socket address, `host:port`.
    public var remoteAddress: String
    /// Whether this node dialed it.
    public var outbound: Bool
    /// Its head, once it told us.
    public var headNumber: UInt64?
    public var totalDifficulty: UInt256?

    public init(nodeID: String, remoteAddress: String, outbound: Bool, headNumber: UInt64? = nil, totalDifficulty: UInt256? = nil) {
        self.nodeID = nodeID; self.remoteAddress = remoteAddress; self.outbound = outbound
        self.headNumber = headNumber; self.totalDifficulty = totalDifficulty
    }
}
