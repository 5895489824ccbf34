import AnkrChain
import AnkrNode
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

    @Option(name: .customLong("miner.coinbase"), help: "Address that receives block rewards and tips.")
    var coinbase: String?

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
            if let coinbase {
                guard let a = try? Address(hex: coinbase) else { throw CommandFailure("--miner.coinbase is not an address") }
                config.coinbase = a
            } else if dev {
                config.coinbase = DevGenesis.key.address
            }
            let node = try Node(configuration: config, log: log)
            log("chain \(node.chain.chainID) head \(node.chain.head.number) \(node.chain.head.hash)")
            if dev { log("dev account \(DevGenesis.key.address.checksummed) (key \(DevGenesis.key.bytes.hexPrefixed); public, for development only)") }
            // The line scripts wait for: the actual port, even when --http.port 0 picked it.
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
