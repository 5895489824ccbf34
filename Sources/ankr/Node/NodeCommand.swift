import AnkrCommandLine
import AnkrNode
import ArgumentParser
import Foundation
import Logging

struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run a node: chain, mempool, block production, JSON-RPC, the explorer and metrics.")

    @OptionGroup var flags: NodeFlags

    func run() throws {
        try reportingErrors {
            let settings = try flags.configuration()
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = settings.logLevel
                return handler
            }
            var logger = Logger(label: "ankr.node")
            logger.logLevel = settings.logLevel
            let dir = settings.dataDirectory
            if !dir.isInitialized {
                guard settings.dev else { throw DataDirectoryError.notInitialized(path: dir.path) }
                try dir.initialize(genesisJSON: Data(DevGenesis.json.utf8))
                logger.notice("created a development chain", metadata: ["datadir": "\(dir.path)"])
            }
            let node = try Node(configuration: try settings.nodeConfiguration(genesis: try dir.loadGenesis()), logger: logger)
            logger.info("chain ready", metadata: ["chainId": "\(node.chain.chainID)", "head": "\(node.chain.head.number)",
                                                  "hash": "\(node.chain.head.hash)"])
            if settings.dev {
                logger.notice("dev account (public key, development only)",
                              metadata: ["address": "\(DevGenesis.key.address.checksummed)", "key": "\(DevGenesis.key.bytes.hexPrefixed)"])
            }
            // The lines scripts wait for: the actual ports, even when 0 picked them.
            if let net = node.network {
                print("P2P listening on \(settings.p2pAddr):\(net.listenPort) id 0x\(net.nodeKey.publicKey.compressed.hex)")
            }
            print("HTTP JSON-RPC listening on http://\(settings.httpAddr):\(node.rpcPort)  explorer /explorer  metrics /metrics")
            fflush(nil)
            SignalWaiter.waitForTermination()
            logger.info("shutting down")
            node.shutdown()
        }
    }
}
