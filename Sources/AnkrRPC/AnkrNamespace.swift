import AnkrChain
import AnkrP2P
import AnkrPrimitives
import Foundation

/// The `ankr_` methods about the node itself, plus the network answers of `net_peerCount` and
/// `eth_syncing` (which take over the stand-alone defaults `EthNamespace` registers).
public struct AnkrNamespace: Sendable {
    public let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    public func register(in table: RPCMethodTable) {
        registerExplorerMethods(in: table)
        table.register("net_peerCount") { _ in RPCFormat.q(backend.network?.peerCount ?? 0) }
        table.register("eth_syncing") { _ in syncing() }
        table.register("ankr_syncing") { _ in syncing() }
        table.register("ankr_peers") { p in
            try p.expect(min: 0, max: 0)
            return (backend.network?.peers ?? []).map { peer -> [String: Any] in
                ["id": "0x" + peer.nodeID, "remoteAddress": peer.remote, "direction": peer.outbound ? "outbound" : "inbound",
                 "headNumber": peer.headNumber.map { RPCFormat.q($0) } ?? NSNull(),
                 "totalDifficulty": peer.totalDifficulty.map { RPCFormat.q($0) } ?? NSNull()]
            }
        }
        table.register("ankr_getSeal") { p in
            try p.expect(min: 1, max: 1)
            let header: BlockHeader?
            if let text = p.values[0] as? String, text.count == 66 {
                header = try backend.chain.header(hash: try p.hash(0, "block hash"))
            } else {
                header = try EthNamespace(backend: backend).header(p.values[0], "block")
            }
            guard let h = header else { return NSNull() }
            return EthNamespace.sealJSON(h.seal)
        }
        table.register("ankr_difficulty") { p in
            try p.expect(min: 0, max: 0)
            let head = backend.chain.head
            return ["current": RPCFormat.q(head.difficulty),
                    "next": RPCFormat.q(backend.chain.sealer.difficulty(parent: head, timestamp: UInt64(Date().timeIntervalSince1970)))]
        }
        // It changes the node (whom it dials), so it is served only with the admin API enabled.
        table.register("ankr_addPeer", api: "admin") { p in
            try p.expect(min: 1, max: 1)
            guard let net = backend.network else { throw RPCError.server("this node runs without P2P (--no-p2p)") }
            guard let endpoint = PeerEndpoint(try p.string(0, "peer")) else { throw RPCError.invalidParams("peer must be host:port") }
            net.addPeer(endpoint)
            return true
        }
        table.register("ankr_nodeInfo") { p in
            try p.expect(min: 0, max: 0)
            let head = backend.chain.head
            var info: [String: Any] = [
                "clientVersion": backend.clientVersion, "chainId": RPCFormat.q(backend.chain.chainID),
                "genesis": backend.chain.genesisHash.description, "headNumber": RPCFormat.q(head.number),
                "headHash": head.hash.description, "peerCount": backend.network?.peerCount ?? 0,
                "mempoolSize": backend.mempool.count,
            ]
            if let net = backend.network {
                info["id"] = "0x" + net.nodeKey.publicKey.compressed.hex
                info["listenAddress"] = "\(net.configuration.host):\(net.listenPort)"
            }
            return info
        }
    }

    func syncing() -> Any {
        guard let p = backend.network?.syncProgress else { return false }
        return ["startingBlock": RPCFormat.q(p.start), "currentBlock": RPCFormat.q(p.current), "highestBlock": RPCFormat.q(p.highest)]
    }
}
