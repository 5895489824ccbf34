import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation

/// The `ankr_` methods about the node itself, plus the network answers of `net_peerCount` and
/// `eth_syncing` (which take over the stand-alone defaults `EthNamespace` registers).
public struct AnkrNamespace: Sendable {
    public let backend: RPCBackend
    /// The peer-to-peer side, when the node runs one.
    public let network: NetworkStatus?

    public init(backend: RPCBackend, network: NetworkStatus? = nil) {
        self.backend = backend
        self.network = network
    }

    public func register(in table: RPCMethodTable) {
        registerExplorerMethods(in: table)
        table.register("net_peerCount") { _ in RPCFormat.q(network?.peerCount ?? 0) }
        table.register("eth_syncing") { _ in syncing() }
        table.register("ankr_syncing") { _ in syncing() }
        table.register("ankr_peers") { p in
            try p.expect(min: 0, max: 0)
            return .array((network?.connectedPeers ?? []).map { peer -> JSON in
                ["id": .string("0x" + peer.nodeID), "remoteAddress": .string(peer.remoteAddress),
                 "direction": peer.outbound ? "outbound" : "inbound",
                 "headNumber": peer.headNumber.map { RPCFormat.q($0) } ?? .null,
                 "totalDifficulty": peer.totalDifficulty.map { RPCFormat.q($0) } ?? .null]
            })
        }
        table.register("ankr_getSeal") { p in
            try p.expect(min: 1, max: 1)
            let header: BlockHeader?
            if let text = p.value(0)?.string, text.count == 66 {
                header = try backend.chain.header(hash: try p.hash(0, "block hash"))
            } else {
                header = try EthNamespace(backend: backend).header(p.value(0), "block")
            }
            guard let h = header else { return .null }
            return backend.chain.sealer.describe(seal: h.seal)
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
            guard let network else { throw RPCError.server("this node runs without P2P (--no-p2p)") }
            guard network.addPeer(try p.string(0, "peer")) else { throw RPCError.invalidParams("peer must be host:port") }
            return true
        }
        table.register("ankr_nodeInfo") { p in
            try p.expect(min: 0, max: 0)
            let head = backend.chain.head
            var info: [String: JSON] = [
                "clientVersion": .string(backend.clientVersion), "chainId": RPCFormat.q(backend.chain.chainID),
                "genesis": .string(backend.chain.genesisHash.description), "headNumber": RPCFormat.q(head.number),
                "headHash": .string(head.hash.description), "peerCount": .int(clamping: network?.peerCount ?? 0),
                "mempoolSize": .int(clamping: backend.mempool.count),
            ]
            // Who seals: tools pick their defaults by it (an application chain's operator makes a block only when there is
            // something to include, so waiting for blocks on top of a transaction would wait for other people's).
            switch backend.chain.genesis.parameters.consensus {
            case .dev: info["consensus"] = "dev"
            case .pouw: info["consensus"] = "pouw"
            case .operator(let op):
                info["consensus"] = "operator"
                info["operator"] = .string(op.checksummed)
            }
            if let network {
                info["id"] = .string("0x" + network.nodeID)
                info["listenAddress"] = .string(network.listenAddress)
            }
            return .object(info)
        }
    }

    func syncing() -> JSON {
        guard let s = network?.syncStatus else { return false }
        return ["startingBlock": RPCFormat.q(s.start), "currentBlock": RPCFormat.q(s.current), "highestBlock": RPCFormat.q(s.highest)]
    }
}
