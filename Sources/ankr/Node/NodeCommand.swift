import AnkrChain
import AnkrCrypto
import AnkrNode
import AnkrP2P
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
import Logging

struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run a node: chain, mempool, block production, JSON-RPC, the explorer and metrics.")

    @OptionGroup var flags: NodeFlags

    func run() throws {
        try reportingErrors {
            let s = try flags.settings()
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = s.logLevel
                return handler
            }
            var logger = Logger(label: "ankr.node")
            logger.logLevel = s.logLevel
            let dir = DataDirectory(s.datadir)
            if !dir.isInitialized {
                guard s.dev else {
                    throw CommandFailure("\(dir.url.path) is not initialized: run `ankr init --genesis <file> --datadir \(dir.url.path)` or use --dev")
                }
                try dir.initialize(genesisJSON: Data(DevGenesis.json.utf8))
                logger.notice("created a development chain", metadata: ["datadir": "\(dir.url.path)"])
            }
            var config = Node.Configuration(dataDirectory: dir.url, genesis: try dir.loadGenesis())
            config.rpc.host = s.httpAddr
            config.rpc.port = s.httpPort
            config.rpc.corsOrigins = s.corsDomains
            config.rpcLimits = s.rpcLimits
            config.devPeriod = s.devPeriod
            config.mine = s.mine
            config.mineDuty = s.mineDuty
            let keyFile = s.minerKey.isEmpty ? dir.url.appendingPathComponent("miner.key")
                                             : URL(fileURLWithPath: (s.minerKey as NSString).expandingTildeInPath)
            if !s.minerKey.isEmpty || FileManager.default.fileExists(atPath: keyFile.path) {
                guard let text = try? String(contentsOf: keyFile, encoding: .utf8) else { throw CommandFailure("cannot read the miner key \(keyFile.path)") }
                guard let key = try? PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw CommandFailure("\(keyFile.path) does not hold a hex private key")
                }
                config.minerKey = key
            }
            if !s.coinbase.isEmpty {
                guard let a = try? Address(hex: s.coinbase) else { throw CommandFailure("the coinbase \(s.coinbase) is not an address") }
                config.coinbase = a
            } else if let key = config.minerKey {
                config.coinbase = key.address
            } else if s.dev {
                config.coinbase = DevGenesis.key.address
            }
            if s.p2p {
                var p2p = PeerNetwork.Configuration()
                p2p.host = s.p2pAddr
                p2p.port = s.p2pPort
                p2p.maxPeers = s.maxPeers
                p2p.targetPeers = min(8, s.maxPeers)
                p2p.bootnodes = try s.bootnodes.map { text in
                    guard let e = PeerEndpoint(text) else { throw CommandFailure("bootnode \(text) is not host:port") }
                    return e
                }
                config.p2p = p2p
            }
            let node = try Node(configuration: config, logger: logger)
            logger.info("chain ready", metadata: ["chainId": "\(node.chain.chainID)", "head": "\(node.chain.head.number)",
                                                  "hash": "\(node.chain.head.hash)"])
            if s.dev {
                logger.notice("dev account (public key, development only)",
                              metadata: ["address": "\(DevGenesis.key.address.checksummed)", "key": "\(DevGenesis.key.bytes.hexPrefixed)"])
            }
            // The lines scripts wait for: the actual ports, even when 0 picked them.
            if let net = node.network {
                print("P2P listening on \(s.p2pAddr):\(net.listenPort) id 0x\(net.nodeKey.publicKey.compressed.hex)")
            }
            print("HTTP JSON-RPC listening on http://\(s.httpAddr):\(node.rpcPort)  explorer /explorer  metrics /metrics")
            fflush(nil)
            SignalWaiter.waitForTermination()
            logger.info("shutting down")
            node.shutdown()
        }
    }
}
