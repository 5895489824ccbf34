import AnkrChain
import AnkrP2P
import AnkrPrimitives
import Foundation

extension NodeConfiguration {
    /// What ``Node`` runs with on the chain `genesis`: the RPC and P2P settings, the miner's key
    /// (`minerKey`, else `<datadir>/miner.key` when present) and the coinbase (the one given, else
    /// the miner's worker account, else the dev account on a dev chain, else zero); the development keys to
    /// unlock when `genesis` marks a development chain.
    public func nodeConfiguration(genesis: Genesis) throws -> Node.Configuration {
        let dir = dataDirectory
        var config = Node.Configuration(dataDirectory: dir, genesis: genesis)
        config.rpc.host = httpAddr
        config.rpc.port = httpPort
        config.rpc.corsOrigins = corsDomains
        config.rpc.webSocketOrigins = wsOrigins
        config.rpcLimits = rpcLimits
        config.devPeriod = devPeriod
        config.mine = mine
        config.mineDuty = mineDuty
        config.enclaveSocket = enclaveSocket.isEmpty ? nil : (enclaveSocket as NSString).expandingTildeInPath
        config.devAccounts = DevGenesis.unlockedKeys(genesis: genesis)
        config.minerKey = try dir.minerKey(file: minerKey.isEmpty ? nil : URL(fileURLWithPath: (minerKey as NSString).expandingTildeInPath))
        if !operatorKey.isEmpty {
            config.operatorKey = try DataDirectory.readKey(at: URL(fileURLWithPath: (operatorKey as NSString).expandingTildeInPath))
        }
        if !appChainParent.isEmpty, let url = URL(string: appChainParent) {
            config.appChain = .init(parent: url, id: appChainID, depositConfirmations: appChainConfirmations)
        }
        if !coinbase.isEmpty {
            guard let address = try? Address(hex: coinbase) else { throw NodeConfigurationError.invalidCoinbase(coinbase) }
            config.coinbase = address
        } else if let key = config.minerKey {
            config.coinbase = key.address
        } else if let key = config.operatorKey {
            config.coinbase = key.address
        } else if dev {
            config.coinbase = DevGenesis.key.address
        }
        if p2p {
            var network = PeerNetwork.Configuration()
            network.host = p2pAddr
            network.port = p2pPort
            network.maxPeers = maxPeers
            network.targetPeers = min(8, maxPeers)
            network.bootnodes = try bootnodes.map { text throws(NodeConfigurationError) in
                guard let endpoint = PeerEndpoint(text) else { throw .invalidBootnode(text) }
                return endpoint
            }
            config.p2p = network
        }
        return config
    }
}
