/// The node's peer-to-peer side as the `ankr_` and `net_` methods see it. The node implements it over
/// its P2P service, so this target (and RPC) never depends on the P2P stack.
public protocol NetworkStatus: Sendable {
    /// Peers past the handshake.
    var peerCount: Int { get }
    /// Those peers, as `ankr_peers` lists them.
    var connectedPeers: [NetworkPeer] { get }
    /// Where a running sync stands; nil when the node is not syncing.
    var syncStatus: SyncStatus? { get }
    /// The node key's compressed public key, hex without `0x`.
    var nodeID: String { get }
    /// Where the node listens for peers, `host:port`.
    var listenAddress: String { get }
    /// Dials `endpoint` (`host:port`) and keeps it among the wanted peers; false when it is no `host:port`.
    func addPeer(_ endpoint: String) -> Bool
}
