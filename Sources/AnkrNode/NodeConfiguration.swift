import AnkrRPC
import Logging

/// Every setting of a node as an operator gives it: defaults, then a TOML config file
/// (``apply(toml:source:)``), then command-line flags (``apply(_:)``), each overriding the one before;
/// ``load(configFile:overrides:)`` does all three and ``validate()``s the result.
/// ``nodeConfiguration(genesis:)`` turns the settings into what ``Node`` runs with.
public struct NodeConfiguration: Equatable, Sendable {
    /// The data directory (`~` is the home directory).
    public var datadir = DataDirectory.defaultPath
    /// A development chain: a funded dev account in an empty datadir, blocks sealed locally.
    public var dev = false
    /// Seconds between dev blocks; 0 seals on every transaction.
    public var devPeriod = 0.0
    /// The JSON-RPC listen address.
    public var httpAddr = "127.0.0.1"
    /// The JSON-RPC port; 0 picks a free one.
    public var httpPort = 8545
    /// Origins allowed by CORS (`*` for any).
    public var corsDomains: [String] = []
    /// Origins allowed to open a WebSocket on the JSON-RPC port (`*` for any); nil: `corsDomains`.
    /// Clients that send no origin (scripts, web3.py) are always let in.
    public var wsOrigins: [String]?
    /// The JSON-RPC namespaces served (`admin` adds `ankr_addPeer`).
    public var httpAPI = RPCLimits.defaultAPIs.sorted()
    /// Wall-clock limit of an `eth_call` / `eth_estimateGas`; zero: none.
    public var evmTimeout = Duration.seconds(5)
    /// Most expensive RPC calls at once; 0: twice the cores.
    public var rpcMaxConcurrent = 0
    /// Accept legacy transactions signed without a chain id over RPC.
    public var allowUnprotectedTxs = false
    /// Peer-to-peer networking; false runs the node alone (no listener, no dialing).
    public var p2p = true
    /// The peer-to-peer listen address.
    public var p2pAddr = "127.0.0.1"
    /// The peer-to-peer port; 0 picks a free one.
    public var p2pPort = 30333
    /// `host:port` peers to dial.
    public var bootnodes: [String] = []
    /// Most peers to keep.
    public var maxPeers = 25
    /// Mine PoUW blocks (on a genesis with `config.ankr.consensus = "pouw"`).
    public var mine = false
    /// Share of the time the miner computes.
    public var mineDuty = 1.0
    /// Empty: the worker account's address, else the dev account on a dev chain, else zero.
    public var coinbase = ""
    /// Empty: `<datadir>/miner.key` when present.
    public var minerKey = ""
    /// Empty: mine with a simulated enclave in the node; else the Unix socket of an `ankr-enclave` process.
    public var enclaveSocket = ""
    /// An application chain's link to its main chain: that chain's JSON-RPC URL (empty: none), the chain's
    /// id in the AppChainRegistry, and the operator's key file (signs the chain's blocks and its commitments).
    public var appChainParent = ""
    public var appChainID: UInt64 = 0
    /// Main-chain blocks a deposit or message must be under before the operator applies it (3: deeper than the PoUW
    /// reorganisations seen; a sealed block applying one a reorganisation replaced could never be committed).
    public var appChainConfirmations: UInt64 = 3
    public var operatorKey = ""
    /// The level the node's components log at.
    public var logLevel = Logger.Level.info

    /// The defaults.
    public init() {}

    /// Defaults, then the TOML file at `configFile` when given, then `overrides`; validated.
    public static func load(configFile: String?, overrides: Overrides) throws(NodeConfigurationError) -> NodeConfiguration {
        var configuration = NodeConfiguration()
        if let configFile { try configuration.apply(tomlFile: configFile) }
        try configuration.apply(overrides)
        try configuration.validate()
        return configuration
    }

    /// What the RPC server lets callers do, from these settings.
    public var rpcLimits: RPCLimits {
        var limits = RPCLimits()
        limits.apis = Set(httpAPI)
        // A --dev chain left at the default namespaces also serves `debug` (tracing), as Hardhat and anvil do.
        if dev, limits.apis == RPCLimits.defaultAPIs { limits.apis.insert("debug") }
        limits.evmTimeout = evmTimeout == .zero ? nil : evmTimeout
        limits.maxConcurrentHeavyCalls = rpcMaxConcurrent == 0 ? RPCLimits.defaultHeavyCalls : rpcMaxConcurrent
        limits.allowUnprotectedTransactions = allowUnprotectedTxs
        return limits
    }

    /// The data directory these settings name.
    public var dataDirectory: DataDirectory { DataDirectory(datadir) }
}
