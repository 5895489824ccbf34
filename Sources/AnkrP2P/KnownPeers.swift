/// The endpoints a node may dial, bounded. Endpoints the operator gave (bootnodes, added peers) are
/// pinned and always kept; endpoints learned from peers fill the remaining room and are dropped
/// when the table is full, so `peers` gossip cannot grow memory or crowd out the pinned ones.
struct KnownPeers {
    let capacity: Int
    private(set) var pinned: Set<PeerEndpoint> = []
    private var learned: Set<PeerEndpoint> = []

    init(capacity: Int, pinned: [PeerEndpoint]) {
        self.capacity = max(0, capacity)
        self.pinned = Set(pinned)
    }

    var count: Int { pinned.count + learned.count }
    var all: [PeerEndpoint] { Array(pinned) + Array(learned) }

    mutating func pin(_ endpoint: PeerEndpoint) {
        learned.remove(endpoint)
        pinned.insert(endpoint)
    }

    /// Remembers an endpoint a peer told us about; false when there is no room for it.
    @discardableResult
    mutating func learn(_ endpoint: PeerEndpoint) -> Bool {
        if pinned.contains(endpoint) || learned.contains(endpoint) { return true }
        guard count < capacity else { return false }
        learned.insert(endpoint)
        return true
    }

    /// Drops a learned endpoint (it keeps failing); pinned ones stay.
    mutating func forget(_ endpoint: PeerEndpoint) { learned.remove(endpoint) }
}
