import AnkrRPC
import Foundation
import Logging
import TOMLKit

/// The config file: TOML with the same sections `ankr config dump` prints.
extension NodeConfiguration {
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
        struct HTTP: Decodable { var addr: String?; var port: Int?; var corsdomain: [String]?; var wsorigins: [String]?; var api: [String]? }
        struct RPC: Decodable {
            var evmtimeout: String?
            var maxconcurrent: Int?
            var allowUnprotectedTxs: Bool?
            enum CodingKeys: String, CodingKey { case evmtimeout, maxconcurrent, allowUnprotectedTxs = "allow-unprotected-txs" }
        }
        struct P2P: Decodable { var enabled: Bool?; var addr: String?; var port: Int?; var bootnodes: [String]?; var maxpeers: Int? }
        struct Mine: Decodable { var enabled: Bool?; var duty: Number?; var coinbase: String?; var key: String?; var enclave: String? }
        struct Log: Decodable { var level: String? }
        struct AppChain: Decodable { var parent: String?; var id: UInt64?; var key: String?; var confirmations: UInt64? }
        var datadir: String?
        var dev: Dev?
        var http: HTTP?
        var rpc: RPC?
        var p2p: P2P?
        var mine: Mine?
        var log: Log?
        var appchain: AppChain?
    }

    /// Applies the TOML config file at `path` (`~` is the home directory).
    public mutating func apply(tomlFile path: String) throws(NodeConfigurationError) {
        guard let data = FileManager.default.contents(atPath: (path as NSString).expandingTildeInPath) else { throw .unreadableFile(path: path) }
        try apply(toml: String(decoding: data, as: UTF8.self), source: path)
    }

    /// Applies a TOML config file's text; `source` names it in errors.
    public mutating func apply(toml text: String, source: String) throws(NodeConfigurationError) {
        let file: File
        do {
            file = try TOMLDecoder(strictDecoding: true).decode(File.self, from: text)
        } catch let e as TOMLParseError {
            throw .syntax(file: source, line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        } catch let e as UnexpectedKeysError {
            throw .unknownKeys(file: source, keys: e.keys.keys.sorted())
        } catch let e as DecodingError {
            throw Self.refusal(e, file: source)
        } catch {
            throw .undecodable(file: source, reason: "\(error)")
        }
        datadir = file.datadir ?? datadir
        dev = file.dev?.enabled ?? dev
        devPeriod = file.dev?.period?.value ?? devPeriod
        httpAddr = file.http?.addr ?? httpAddr
        httpPort = file.http?.port ?? httpPort
        corsDomains = file.http?.corsdomain ?? corsDomains
        wsOrigins = file.http?.wsorigins ?? wsOrigins
        httpAPI = file.http?.api ?? httpAPI
        if let text = file.rpc?.evmtimeout { evmTimeout = try Self.duration(text, setting: .file(source, key: "rpc.evmtimeout")) }
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
        enclaveSocket = file.mine?.enclave ?? enclaveSocket
        appChainParent = file.appchain?.parent ?? appChainParent
        appChainID = file.appchain?.id ?? appChainID
        appChainConfirmations = file.appchain?.confirmations ?? appChainConfirmations
        operatorKey = file.appchain?.key ?? operatorKey
        if let text = file.log?.level { logLevel = try Self.logLevel(text, setting: .file(source, key: "log.level")) }
    }

    private static func refusal(_ e: DecodingError, file: String) -> NodeConfigurationError {
        func dotted(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch e {
        case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
            return .wrongType(file: file, key: dotted(c.codingPath), expected: "\(type)")
        case .keyNotFound(let key, let c):
            // TOMLKit reports a value of the wrong type as a missing key.
            let path = c.codingPath.last?.stringValue == key.stringValue ? c.codingPath : c.codingPath + [key]
            return .wrongType(file: file, key: dotted(path), expected: nil)
        case .dataCorrupted(let c): return .malformedValue(file: file, key: dotted(c.codingPath), reason: c.debugDescription)
        @unknown default: return .undecodable(file: file, reason: "\(e)")
        }
    }

    /// The settings as a TOML config file (what `ankr config dump` prints; ``apply(toml:source:)`` reads it back).
    public var toml: String {
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
        # Origins allowed to open a WebSocket on this port; unset: corsdomain. Clients without an origin always may.
        \(wsOrigins.map { "wsorigins = \(list($0))" } ?? "# wsorigins = []")
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
        # The Unix socket of an ankr-enclave process to mine with; empty: a simulated enclave in the node.
        enclave = \(q(enclaveSocket))

        [appchain]
        # An application chain's main chain (JSON-RPC URL; empty: none), its id there and the operator key file.
        parent = \(q(appChainParent))
        id = \(appChainID)
        key = \(q(operatorKey))
        # Main-chain blocks a deposit must be under before the operator applies it.
        confirmations = \(appChainConfirmations)

        [log]
        # \(Self.levels)
        level = \(q(logLevel.rawValue))

        """
    }
}
