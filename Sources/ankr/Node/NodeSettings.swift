import AnkrRPC
import ArgumentParser
import Foundation
import Logging
import TOMLKit

/// Every setting of `ankr node`, as the node will run with it: defaults, then the TOML config
/// file (`--config`), then command-line flags, each overriding the one before.
struct NodeSettings: Equatable {
    var datadir = DataDirectory.defaultPath
    var dev = false
    var devPeriod = 0.0
    var httpAddr = "127.0.0.1"
    var httpPort = 8545
    var corsDomains: [String] = []
    /// The JSON-RPC namespaces served (`admin` adds `ankr_addPeer`).
    var httpAPI = RPCLimits.defaultAPIs.sorted()
    /// Wall-clock limit of an `eth_call` / `eth_estimateGas`; zero: none.
    var evmTimeout = Duration.seconds(5)
    /// Most expensive RPC calls at once; 0: twice the cores.
    var rpcMaxConcurrent = 0
    var allowUnprotectedTxs = false
    var p2p = true
    var p2pAddr = "127.0.0.1"
    var p2pPort = 30333
    var bootnodes: [String] = []
    var maxPeers = 25
    var mine = false
    var mineDuty = 1.0
    /// Empty: the worker account's address, else the dev account on a dev chain, else zero.
    var coinbase = ""
    /// Empty: `<datadir>/miner.key` when present.
    var minerKey = ""
    var logLevel = Logger.Level.info

    /// The config file's shape: every key optional; unknown keys are an error (a typo must not pass).
    struct File: Decodable {
        /// A TOML float or integer (`duty = 1` means 1.0).
        struct Number: Decodable {
            var value: Double
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let d = try? c.decode(Double.self) { value = d } else { value = Double(try c.decode(Int.self)) }
            }
        }
        struct Dev: Decodable { var enabled: Bool?; var period: Number? }
        struct HTTP: Decodable { var addr: String?; var port: Int?; var corsdomain: [String]?; var api: [String]? }
        struct RPC: Decodable {
            var evmtimeout: String?
            var maxconcurrent: Int?
            var allowUnprotectedTxs: Bool?
            enum CodingKeys: String, CodingKey { case evmtimeout, maxconcurrent, allowUnprotectedTxs = "allow-unprotected-txs" }
        }
        struct P2P: Decodable { var enabled: Bool?; var addr: String?; var port: Int?; var bootnodes: [String]?; var maxpeers: Int? }
        struct Mine: Decodable { var enabled: Bool?; var duty: Number?; var coinbase: String?; var key: String? }
        struct Log: Decodable { var level: String? }
        var datadir: String?
        var dev: Dev?
        var http: HTTP?
        var rpc: RPC?
        var p2p: P2P?
        var mine: Mine?
        var log: Log?
    }

    /// Applies a TOML config file.
    mutating func apply(toml text: String, source: String) throws {
        let file: File
        do {
            file = try TOMLDecoder(strictDecoding: true).decode(File.self, from: text)
        } catch let e as TOMLParseError {
            throw CommandFailure("\(source):\(e.source.begin.line):\(e.source.begin.column): \(e.description)")
        } catch let e as UnexpectedKeysError {
            throw CommandFailure("\(source): unknown settings \(e.keys.keys.sorted().joined(separator: ", "))")
        } catch let e as DecodingError {
            throw CommandFailure("\(source): \(Self.describe(e))")
        }
        datadir = file.datadir ?? datadir
        dev = file.dev?.enabled ?? dev
        devPeriod = file.dev?.period?.value ?? devPeriod
        httpAddr = file.http?.addr ?? httpAddr
        httpPort = file.http?.port ?? httpPort
        corsDomains = file.http?.corsdomain ?? corsDomains
        httpAPI = file.http?.api ?? httpAPI
        if let text = file.rpc?.evmtimeout { evmTimeout = try Self.duration(text, "\(source): rpc.evmtimeout") }
        rpcMaxConcurrent = file.rpc?.maxconcurrent ?? rpcMaxConcurrent
        allowUnprotectedTxs = file.rpc?.allowUnprotectedTxs ?? allowUnprotectedTxs
        p2p = file.p2p?.enabled ?? p2p
        p2pAddr = file.p2p?.addr ?? p2pAddr
        p2pPort = file.p2p?.port ?? p2pPort
        bootnodes = file.p2p?.bootnodes ?? bootnodes
        maxPeers = file.p2p?.maxpeers ?? maxPeers
        mine = file.mine?.enabled ?? mine
        mineDuty = file.mine?.duty?.value ?? mineDuty
        coinbase = file.mine?.coinbase ?? coinbase
        minerKey = file.mine?.key ?? minerKey
        if let level = file.log?.level {
            guard let l = Logger.Level(rawValue: level) else { throw CommandFailure("\(source): log.level must be one of \(Self.levels)") }
            logLevel = l
        }
    }

    static let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")

    /// A duration as geth writes one: `5s`, `300ms`, `1.5s`, `2m`, `1h`, or plain seconds; `0` is none.
    static func duration(_ text: String, _ setting: String) throws -> Duration {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]
        let (number, scale) = units.first { t.hasSuffix($0.0) }.map { (String(t.dropLast($0.0.count)), $0.1) } ?? (t, 1_000)
        guard let value = Double(number), value.isFinite, value >= 0, value * scale <= 3_600_000 else {
            throw CommandFailure("\(setting) must be a duration between 0 and 1h, like 5s or 300ms (got \(text))")
        }
        return .milliseconds(Int64((value * scale).rounded()))
    }

    /// What the RPC server lets callers do, from these settings.
    var rpcLimits: RPCLimits {
        var limits = RPCLimits()
        limits.apis = Set(httpAPI)
        limits.evmTimeout = evmTimeout == .zero ? nil : evmTimeout
        limits.maxConcurrentHeavyCalls = rpcMaxConcurrent == 0 ? RPCLimits.defaultHeavyCalls : rpcMaxConcurrent
        limits.allowUnprotectedTransactions = allowUnprotectedTxs
        return limits
    }

    /// Range checks shared by the file and the flags.
    func validate() throws {
        guard devPeriod >= 0, devPeriod <= 3600 else { throw CommandFailure("dev.period must be between 0 and 3600 seconds") }
        guard (0...65535).contains(httpPort) else { throw CommandFailure("http.port must be between 0 and 65535") }
        guard !httpAPI.isEmpty else { throw CommandFailure("http.api must name at least one API") }
        let unknown = httpAPI.filter { !RPCLimits.knownAPIs.contains($0) }
        guard unknown.isEmpty else {
            throw CommandFailure("http.api: unknown API \(unknown.joined(separator: ", ")) (known: \(RPCLimits.knownAPIs.sorted().joined(separator: ", ")))")
        }
        // The RPC server keeps a thread for each.
        guard (0...256).contains(rpcMaxConcurrent) else { throw CommandFailure("rpc.maxconcurrent must be between 0 and 256") }
        guard (0...65535).contains(p2pPort) else { throw CommandFailure("p2p.port must be between 0 and 65535") }
        guard maxPeers >= 1, maxPeers <= 1000 else { throw CommandFailure("p2p.maxpeers must be between 1 and 1000") }
        guard mineDuty >= 0.01, mineDuty <= 1 else { throw CommandFailure("mine.duty must be between 0.01 and 1") }
    }

    /// The settings as a TOML config file (what `ankr config dump` prints; `--config` reads it back).
    var toml: String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func list(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ", ") + "]" }
        return """
        # ankr node settings (TOML). Flags given on the command line override these.
        datadir = \(q(datadir))

        [dev]
        # Create a funded development chain in an empty datadir.
        enabled = \(dev)
        # Seconds between dev blocks; 0 seals on every transaction.
        period = \(devPeriod)

        [http]
        addr = \(q(httpAddr))
        port = \(httpPort)
        corsdomain = \(list(corsDomains))
        # JSON-RPC namespaces served; "admin" adds methods that change the node (ankr_addPeer).
        api = \(list(httpAPI))

        [rpc]
        # Wall-clock limit of one eth_call or eth_estimateGas ("0" for none).
        evmtimeout = \(q(RPCLimits.describe(evmTimeout)))
        # Most expensive calls (EVM runs, block scans) at once, beyond which callers are told the server is busy; 0: twice the cores.
        maxconcurrent = \(rpcMaxConcurrent)
        # Take legacy transactions signed without a chain id (replayable on any chain).
        allow-unprotected-txs = \(allowUnprotectedTxs)

        [p2p]
        enabled = \(p2p)
        addr = \(q(p2pAddr))
        port = \(p2pPort)
        # "host:port" peers to dial.
        bootnodes = \(list(bootnodes))
        maxpeers = \(maxPeers)

        [mine]
        # Mine PoUW blocks (on a genesis with config.ankr.consensus = "pouw").
        enabled = \(mine)
        # Share of the time the miner computes.
        duty = \(mineDuty)
        # Empty: the worker account, or the dev account on a dev chain.
        coinbase = \(q(coinbase))
        # The worker key file; empty: <datadir>/miner.key when present.
        key = \(q(minerKey))

        [log]
        # \(Self.levels)
        level = \(q(logLevel.rawValue))

        """
    }

    private static func describe(_ e: DecodingError) -> String {
        switch e {
        case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
            return "\(c.codingPath.map(\.stringValue).joined(separator: ".")) must be \(type)"
        case .keyNotFound(let key, let c):
            // TOMLKit reports a value of the wrong type as a missing key.
            let path = c.codingPath.last?.stringValue == key.stringValue ? c.codingPath : c.codingPath + [key]
            return "\(path.map(\.stringValue).joined(separator: ".")) is missing or of the wrong type"
        case .dataCorrupted(let c): return "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}

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

    @Option(name: .customLong("http.api"),
            help: "Comma-separated JSON-RPC namespaces to serve (default ankr,eth,net,nos,plasma,web3,work; add admin for ankr_addPeer).")
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

    @Option(name: .customLong("log.level"), help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    /// Defaults, then `--config`, then the flags given.
    func settings() throws -> NodeSettings {
        var s = NodeSettings()
        if let config {
            let path = (config as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read the config file \(config)") }
            try s.apply(toml: String(decoding: data, as: UTF8.self), source: config)
        }
        s.datadir = datadir ?? s.datadir
        s.dev = dev ?? s.dev
        s.devPeriod = devPeriod ?? s.devPeriod
        s.httpAddr = httpAddr ?? s.httpAddr
        s.httpPort = httpPort ?? s.httpPort
        s.corsDomains = corsDomain.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? s.corsDomains
        s.httpAPI = httpAPI.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? s.httpAPI
        s.evmTimeout = try evmTimeout.map { try NodeSettings.duration($0, "--rpc.evmtimeout") } ?? s.evmTimeout
        s.rpcMaxConcurrent = rpcMaxConcurrent ?? s.rpcMaxConcurrent
        s.allowUnprotectedTxs = allowUnprotectedTxs ?? s.allowUnprotectedTxs
        s.p2p = p2p ?? s.p2p
        s.p2pAddr = p2pAddr ?? s.p2pAddr
        s.p2pPort = p2pPort ?? s.p2pPort
        s.bootnodes = bootnodes.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? s.bootnodes
        s.maxPeers = maxPeers ?? s.maxPeers
        s.mine = mine ?? s.mine
        s.mineDuty = mineDuty ?? s.mineDuty
        s.coinbase = coinbase ?? s.coinbase
        s.minerKey = minerKey ?? s.minerKey
        if let logLevel {
            guard let l = Logger.Level(rawValue: logLevel) else { throw CommandFailure("--log.level must be one of \(NodeSettings.levels)") }
            s.logLevel = l
        }
        try s.validate()
        return s
    }
}

/// `ankr config dump`: the effective node settings as TOML.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Node configuration files.", subcommands: [Dump.self])

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the settings `ankr node` would run with (defaults, then --config, then flags) as TOML.")

        @OptionGroup var flags: NodeFlags

        func run() throws {
            try reportingErrors { print(try flags.settings().toml, terminator: "") }
        }
    }
}
