import Logging

extension NodeConfiguration {
    /// Settings given on the command line: each one that is set replaces the file's or the default.
    /// Durations and log levels stay text here so that ``NodeConfiguration`` alone decides what they
    /// may be and names the flag when one is refused.
    public struct Overrides: Sendable, Equatable {
        public var datadir: String?
        public var dev: Bool?
        public var devPeriod: Double?
        public var httpAddr: String?
        public var httpPort: Int?
        public var corsDomains: [String]?
        /// `--ws.origins`.
        public var wsOrigins: [String]?
        public var httpAPI: [String]?
        /// `--rpc.evmtimeout`, as ``NodeConfiguration/duration(_:setting:)`` reads it.
        public var evmTimeout: String?
        public var rpcMaxConcurrent: Int?
        public var allowUnprotectedTxs: Bool?
        public var p2p: Bool?
        public var p2pAddr: String?
        public var p2pPort: Int?
        public var bootnodes: [String]?
        public var maxPeers: Int?
        public var mine: Bool?
        public var mineDuty: Double?
        public var coinbase: String?
        public var minerKey: String?
        /// `--enclave.socket`: the `ankr-enclave` process to mine with.
        public var enclaveSocket: String?
        /// `--appchain.parent`, `--appchain.id`, `--operator.key`.
        public var appChainParent: String?
        public var appChainID: UInt64?
        public var appChainConfirmations: UInt64?
        public var operatorKey: String?
        /// `--log.level`: one of `Logger.Level`'s names.
        public var logLevel: String?

        public init() {}
    }

    /// Replaces every setting `overrides` gives.
    public mutating func apply(_ overrides: Overrides) throws(NodeConfigurationError) {
        datadir = overrides.datadir ?? datadir
        dev = overrides.dev ?? dev
        devPeriod = overrides.devPeriod ?? devPeriod
        httpAddr = overrides.httpAddr ?? httpAddr
        httpPort = overrides.httpPort ?? httpPort
        corsDomains = overrides.corsDomains ?? corsDomains
        wsOrigins = overrides.wsOrigins ?? wsOrigins
        httpAPI = overrides.httpAPI ?? httpAPI
        if let text = overrides.evmTimeout { evmTimeout = try Self.duration(text, setting: .flag("rpc.evmtimeout")) }
        rpcMaxConcurrent = overrides.rpcMaxConcurrent ?? rpcMaxConcurrent
        allowUnprotectedTxs = overrides.allowUnprotectedTxs ?? allowUnprotectedTxs
        p2p = overrides.p2p ?? p2p
        p2pAddr = overrides.p2pAddr ?? p2pAddr
        p2pPort = overrides.p2pPort ?? p2pPort
        bootnodes = overrides.bootnodes ?? bootnodes
        maxPeers = overrides.maxPeers ?? maxPeers
        mine = overrides.mine ?? mine
        mineDuty = overrides.mineDuty ?? mineDuty
        coinbase = overrides.coinbase ?? coinbase
        minerKey = overrides.minerKey ?? minerKey
        enclaveSocket = overrides.enclaveSocket ?? enclaveSocket
        appChainParent = overrides.appChainParent ?? appChainParent
        appChainID = overrides.appChainID ?? appChainID
        appChainConfirmations = overrides.appChainConfirmations ?? appChainConfirmations
        operatorKey = overrides.operatorKey ?? operatorKey
        if let text = overrides.logLevel { logLevel = try Self.logLevel(text, setting: .flag("log.level")) }
    }
}
