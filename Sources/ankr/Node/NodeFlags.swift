import AnkrNode
import ArgumentParser
import Foundation

/// The `ankr node` flags, all optional so a config file's values stand unless a flag is given.
struct NodeFlags: ParsableArguments {
    @Option(help: "TOML config file with any of the settings below (`ankr config dump` prints one).")
    var config: String?

    @Option(help: "Data directory (default ~/.ankr).")
    var datadir: String?

    @Flag(inversion: .prefixedNo, help: "Development chain: creates a funded dev account in an empty datadir and seals blocks locally.")
    var dev: Bool?

    @Option(name: .customLong("dev.period"), help: "Seconds between dev blocks; 0 seals on every transaction.")
    var devPeriod: Double?

    @Option(name: .customLong("http.addr"), help: "JSON-RPC listen address (default 127.0.0.1).")
    var httpAddr: String?

    @Option(name: .customLong("http.port"), help: "JSON-RPC port, 0 picks a free one (default 8545).")
    var httpPort: Int?

    @Option(name: .customLong("http.corsdomain"), help: "Comma-separated origins allowed by CORS (* for any).")
    var corsDomain: String?

    @Option(name: .customLong("ws.origins"),
            help: "Comma-separated origins allowed to open a WebSocket on the JSON-RPC port (* for any; default: --http.corsdomain). Clients sending no origin always may.")
    var wsOrigins: String?

    @Option(name: .customLong("http.api"),
            help: "Comma-separated JSON-RPC namespaces to serve (default ankr,eth,net,nos,personal,plasma,web3,work; add admin for ankr_addPeer, debug for debug_* tracing and raw data, on by default with --dev).")
    var httpAPI: String?

    @Option(name: .customLong("rpc.evmtimeout"), help: "Time limit of one eth_call or eth_estimateGas, like 5s or 300ms; 0 for none (default 5s).")
    var evmTimeout: String?

    @Option(name: .customLong("rpc.maxconcurrent"),
            help: "Most expensive RPC calls (eth_call, eth_estimateGas, eth_getLogs, …) at once; more are refused as busy (default twice the cores).")
    var rpcMaxConcurrent: Int?

    @Flag(name: .customLong("rpc.allow-unprotected-txs"), inversion: .prefixedNo,
          help: "Accept legacy transactions signed without a chain id (replayable on any chain) over RPC (default: refuse them).")
    var allowUnprotectedTxs: Bool?

    @Flag(inversion: .prefixedNo, help: "Peer-to-peer networking (--no-p2p runs alone: no listener, no dialing).")
    var p2p: Bool?

    @Option(name: .customLong("p2p.addr"), help: "Peer-to-peer listen address (default 127.0.0.1).")
    var p2pAddr: String?

    @Option(name: .customLong("p2p.port"), help: "Peer-to-peer TCP port, 0 picks a free one (default 30333).")
    var p2pPort: Int?

    @Option(help: "Comma-separated host:port peers to connect to.")
    var bootnodes: String?

    @Option(name: .customLong("maxpeers"), help: "Most peers to keep (default 25).")
    var maxPeers: Int?

    @Flag(inversion: .prefixedNo, help: "Mine Proof-of-Useful-Work blocks (on a chain whose genesis sets config.ankr.consensus = \"pouw\").")
    var mine: Bool?

    @Option(name: .customLong("mine.duty"), help: "Share of the time a miner computes (0.01–1); below 1 it rests between subtasks to share cores.")
    var mineDuty: Double?

    @Option(name: [.customLong("miner.coinbase"), .customLong("coinbase")], help: "Address that receives block rewards and tips.")
    var coinbase: String?

    @Option(name: .customLong("miner.key"),
            help: "File with the hex private key of the miner's worker account (posts result bonds, is paid for WorkMarket subtasks; default <datadir>/miner.key when present).")
    var minerKey: String?

    @Option(name: .customLong("enclave.socket"),
            help: "Mine with the ankr-enclave process serving this Unix socket (default: a simulated enclave inside the node).")
    var enclaveSocket: String?

    @Option(name: .customLong("appchain.parent"),
            help: "An application chain's main chain (its JSON-RPC URL): this node, holding the operator key, commits every block there.")
    var appChainParent: String?

    @Option(name: .customLong("appchain.id"), help: "The application chain's id in the main chain's AppChainRegistry.")
    var appChainID: UInt64?

    @Option(name: .customLong("appchain.confirmations"),
            help: "Main-chain blocks a deposit or message must be under before the operator applies it on the application chain (default 3: deeper than a PoUW reorganisation goes; a block applying one a reorganisation replaced can never be committed, and sealing that height again is slashable).")
    var appChainConfirmations: UInt64?

    @Option(name: .customLong("operator.key"),
            help: "File with the hex private key of an application chain's operator: seals its blocks and signs its commitments.")
    var operatorKey: String?

    @Option(name: .customLong("log.level"), help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    /// Defaults, then `--config`, then the flags given, by ``NodeConfiguration``'s rules.
    func configuration() throws -> NodeConfiguration {
        try NodeConfiguration.load(configFile: config, overrides: overrides)
    }

    /// The flags given, as overrides of the config file's settings.
    var overrides: NodeConfiguration.Overrides {
        func list(_ text: String?) -> [String]? { text.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } }
        var o = NodeConfiguration.Overrides()
        o.datadir = datadir
        o.dev = dev
        o.devPeriod = devPeriod
        o.httpAddr = httpAddr
        o.httpPort = httpPort
        o.corsDomains = list(corsDomain)
        o.wsOrigins = list(wsOrigins)
        o.httpAPI = list(httpAPI)
        o.evmTimeout = evmTimeout
        o.rpcMaxConcurrent = rpcMaxConcurrent
        o.allowUnprotectedTxs = allowUnprotectedTxs
        o.p2p = p2p
        o.p2pAddr = p2pAddr
        o.p2pPort = p2pPort
        o.bootnodes = list(bootnodes)
        o.maxPeers = maxPeers
        o.mine = mine
        o.mineDuty = mineDuty
        o.coinbase = coinbase
        o.minerKey = minerKey
        o.enclaveSocket = enclaveSocket
        o.appChainParent = appChainParent
        o.appChainID = appChainID
        o.appChainConfirmations = appChainConfirmations
        o.operatorKey = operatorKey
        o.logLevel = logLevel
        return o
    }
}
