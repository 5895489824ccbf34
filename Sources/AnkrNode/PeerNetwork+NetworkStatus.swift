import AnkrEthAPI
import AnkrP2P

/// The P2P service as the `ankr_` and `net_` methods read it.
extension PeerNetwork: NetworkStatus {
    public var connectedPeers: [NetworkPeer] {
        peers.map { NetworkPeer(nodeID: $0.nodeID, remoteAddress: $0.remote, outbound: $0.outbound, headNumber: $0.headNumber,
                                totalDifficulty: $0.totalDifficulty) }
    }

    public var syncStatus: SyncStatus? {
        syncProgress.map { SyncStatus(start: $0.start, current: $0.current, highest: $0.highest) }
    }

    public var nodeID: String { nodeKey.publicKey.compressed.hex }

    public var listenAddress: String { "\(configuration.host):\(listenPort)" }

    public func addPeer(_ endpoint: String) -> Bool {
        guard let parsed = PeerEndpoint(endpoint) else { return false }
        addPeer(parsed)
        return true
    }
}
