import AnkrChain
import AnkrCrypto
import AnkrNode
import AnkrP2P
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run a node: chain, mempool, block production and JSON-RPC.")

    @Option(help: "Data directory.")
    var datadir = DataDirectory.defaultPath

    @Flag(help: "Development chain: creates a funded dev account in an empty datadir and seals blocks locally.")
    var dev = false

    @Option(name: .customLong("dev.period"), help: "Seconds between dev blocks; 0 seals on every transaction.")
    var devPeriod: Double = 0

    @Option(name: .customLong("http.addr"), help: "JSON-RPC listen address.")
    var httpAddr = "127.0.0.1"

    @Option(name: .customLong("http.port"), help: "JSON-RPC port (0 picks a free one).")
    var httpPort = 8545

    @Option(name: .customLong("http.corsdomain"), help: "Comma-separated origins allowed by CORS (* for any).")
    var corsDomain = ""

    @Option(name: [.customLong("miner.coinbase"), .customLong("coinbase")], help: "Address that receives block rewards and tips.")
    var coinbase: String?

    @Option(name: .customLong("p2p.addr"), help: "Peer-to-peer listen address.")
    var p2pAddr = "127.0.0.1"

    @Option(name: .customLong("p2p.port"), help: "Peer-to-peer TCP port (0 picks a free one).")
    var p2pPort = 30333

    @Option(help: "Comma-separated host:port peers to connect to.")
    var bootnodes = ""

    @Option(name: .customLong("maxpeers"), help: "Most peers to keep.")
    var maxPeers = 25

    @Flag(name: .customLong("no-p2p"), help: "Run alone: no peer-to-peer listener or dialing.")
    var noP2P = false

    @Option(name: .customLong("mine.duty"), help: "Share of the time a miner computes (0.01–1); below 1 it rests between subtasks to share cores.")
    var mineDuty: Double = 1

    @Option(name: .customLong("miner.key"),
            help: "File with the hex private key of the miner's worker account (posts result bonds, is paid for WorkMarket subtasks; default <datadir>/miner.key when present).")
    var minerKey: String?

    @Flag(help: "Mine Proof-of-Useful-Work blocks (on a chain whose genesis sets config.ankr.consensus = \"pouw\").")
    var mine = false

    func run() throws {
        try reportingErrors {
            let dir = DataDirectory(datadir)
            if !dir.isInitialized {
                guard dev else {
                    throw CommandFailure("\(dir.url.path) is not initialized: run `ankr init --genesis <file> --datadir \(dir.url.path)` or use --dev")
                }
                _ = try dir.initialize(genesisJSON: Data(DevGenesis.json.utf8))
                log("created a development chain in \(dir.url.path)")
            }
            guard devPeriod >= 0, devPeriod <= 3600 else { throw CommandFailure("--dev.period must be between 0 and 3600 seconds") }
            guard (0...65535).contains(httpPort) else { throw CommandFailure("--http.port must be between 0 and 65535") }
            var config = Node.Configuration(dataDirectory: dir.url, genesis: try dir.loadGenesis())
            config.rpc.host = httpAddr
            config.rpc.port = httpPort
            config.rpc.corsOrigins = corsDomain.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            config.devPeriod = devPeriod
            config.mine = mine
            guard mineDuty >= 0.01, mineDuty <= 1 else { throw CommandFailure("--mine.duty must be between 0.01 and 1") }
            config.mineDuty = mineDuty
            let keyFile = minerKey.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) } ?? dir.url.appendingPathComponent("miner.key")
            if minerKey != nil || FileManager.default.fileExists(atPath: keyFile.path) {
                guard let text = try? String(contentsOf: keyFile, encoding: .utf8) else { throw CommandFailure("cannot read the miner key \(keyFile.path)") }
                guard let key = try? PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw CommandFailure("\(keyFile.path) does not hold a hex private key")
                }
                config.minerKey = key
            }
            if let coinbase {
                guard let a = try? Address(hex: coinbase) else { throw CommandFailure("--miner.coinbase is not an address") }
                config.coinbase = a
            } else if let key = config.minerKey {
                config.coinbase = key.address
            } else if dev {
                config.coinbase = DevGenesis.key.address
            }
            if !noP2P {
                guard (0...65535).contains(p2pPort) else { throw CommandFailure("--p2p.port must be between 0 and 65535") }
                guard maxPeers >= 1, maxPeers <= 1000 else { throw CommandFailure("--maxpeers must be between 1 and 1000") }
                var p2p = PeerNetwork.Configuration()
                p2p.host = p2pAddr
                p2p.port = p2pPort
                p2p.maxPeers = maxPeers
                p2p.targetPeers = min(8, maxPeers)
                p2p.bootnodes = try bootnodes.split(separator: ",").map { text in
                    guard let e = PeerEndpoint(String(text).trimmingCharacters(in: .whitespaces)) else {
                        throw CommandFailure("bootnode \(text) is not host:port")
                    }
                    return e
                }
                config.p2p = p2p
            }
            let node = try Node(configuration: config, log: log)
            log("chain \(node.chain.chainID) head \(node.chain.head.number) \(node.chain.head.hash)")
            if dev { log("dev account \(DevGenesis.key.address.checksummed) (key \(DevGenesis.key.bytes.hexPrefixed); public, for development only)") }
            // The line scripts wait for: the actual port, even when --http.port 0 picked it.
            if let net = node.network {
                print("P2P listening on \(p2pAddr):\(net.listenPort) id 0x\(net.nodeKey.publicKey.compressed.hex)")
            }
            print("HTTP JSON-RPC listening on http://\(httpAddr):\(node.rpcPort)")
            fflush(nil)
            SignalWaiter.waitForTermination()
            log("shutting down")
            node.shutdown()
        }
    }

    func log(_ message: String) {
        var err = StandardError()
        let stamp = ISO8601DateFormatter().string(from: Date())
        print("\(stamp) \(message)", to: &err)
    }
}
