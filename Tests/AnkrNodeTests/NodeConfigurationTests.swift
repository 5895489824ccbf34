import AnkrNode
import AnkrCrypto
import AnkrRPC
import Foundation
import XCTest

/// Node settings: defaults, then a TOML file, then flags; refusals name the setting.
final class NodeConfigurationTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func file(_ toml: String) throws -> String {
        let url = dir.appendingPathComponent("ankr.toml")
        try Data(toml.utf8).write(to: url)
        return url.path
    }

    func assertRefused(_ toml: String, _ expected: NodeConfigurationError, line: UInt = #line) throws {
        let path = try file(toml)
        XCTAssertThrowsError(try NodeConfiguration.load(configFile: path, overrides: .init()), line: line) { error in
            XCTAssertEqual(error as? NodeConfigurationError, expected, line: line)
        }
    }

    func testTheFileBeatsTheDefaultsAndAFlagBeatsTheFile() throws {
        let path = try file("""
            datadir = "/srv/ankr"
            [http]
            port = 9000
            api = ["eth", "net"]
            [mine]
            duty = 1
            [log]
            level = "debug"
            """)
        var flags = NodeConfiguration.Overrides()
        flags.httpPort = 9100
        flags.p2p = false
        let c = try NodeConfiguration.load(configFile: path, overrides: flags)
        XCTAssertEqual(c.httpPort, 9100, "the flag wins over the file")
        XCTAssertEqual(c.datadir, "/srv/ankr", "the file wins over the default")
        XCTAssertEqual(c.httpAPI, ["eth", "net"])
        XCTAssertEqual(c.mineDuty, 1.0, "an integer is read as a float")
        XCTAssertEqual(c.logLevel, .debug)
        XCTAssertFalse(c.p2p)
        XCTAssertEqual(c.httpAddr, NodeConfiguration().httpAddr, "an unset key keeps its default")
        XCTAssertEqual(c.p2pPort, 30333)
        XCTAssertEqual(c.rpcLimits.apis, ["eth", "net"])
    }

    func testADumpReadsBackAsTheSameSettings() throws {
        var flags = NodeConfiguration.Overrides()
        flags.datadir = "/srv/ankr"
        flags.bootnodes = ["10.0.0.1:30333", "10.0.0.2:30333"]
        flags.evmTimeout = "300ms"
        flags.corsDomains = ["*"]
        flags.coinbase = "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"
        let original = try NodeConfiguration.load(configFile: nil, overrides: flags)
        XCTAssertEqual(original.evmTimeout, .milliseconds(300))
        let reread = try NodeConfiguration.load(configFile: try file(original.toml), overrides: .init())
        XCTAssertEqual(reread, original)
        XCTAssertEqual(reread.toml, original.toml)
    }

    func testUnknownKeysAndBadValuesAreRefusedByName() throws {
        let source = dir.appendingPathComponent("ankr.toml").path
        try assertRefused("[http]\nprot = 1\n", .unknownKeys(file: source, keys: ["prot"]))
        try assertRefused("[http]\nport = \"x\"\n", .wrongType(file: source, key: "http.port", expected: nil))
        try assertRefused("[http]\nport = 70000\n", .outOfRange(key: "http.port", range: "0 and 65535"))
        try assertRefused("[log]\nlevel = \"loud\"\n", .unknownLogLevel(.file(source, key: "log.level"), text: "loud"))
        try assertRefused("[rpc]\nevmtimeout = \"2h\"\n", .invalidDuration(.file(source, key: "rpc.evmtimeout"), text: "2h"))
        // 0 means no limit, so a positive limit that rounds to 0 ms must not quietly mean the same.
        try assertRefused("[rpc]\nevmtimeout = \"0.0004s\"\n", .invalidDuration(.file(source, key: "rpc.evmtimeout"), text: "0.0004s"))
        try assertRefused("[http]\napi = [\"eth\", \"bogus\"]\n", .unknownAPIs(["bogus"]))
        try assertRefused("[mine]\nduty = 0\n", .outOfRange(key: "mine.duty", range: "0.01 and 1"))
        let path = try file("[http\n")
        XCTAssertThrowsError(try NodeConfiguration.load(configFile: path, overrides: .init())) { error in
            guard case .syntax(let file, let line, _, _)? = error as? NodeConfigurationError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, path)
            XCTAssertEqual(line, 1)
        }
        let missing = dir.appendingPathComponent("nope.toml").path
        XCTAssertThrowsError(try NodeConfiguration.load(configFile: missing, overrides: .init())) { error in
            XCTAssertEqual(error as? NodeConfigurationError, .unreadableFile(path: missing))
            XCTAssertEqual("\(error)", "cannot read the config file \(missing)")
        }
    }

    func testABadFlagIsRefusedNamingTheFlag() {
        var flags = NodeConfiguration.Overrides()
        flags.evmTimeout = "soon"
        XCTAssertThrowsError(try NodeConfiguration.load(configFile: nil, overrides: flags)) { error in
            XCTAssertEqual(error as? NodeConfigurationError, .invalidDuration(.flag("rpc.evmtimeout"), text: "soon"))
            XCTAssertTrue("\(error)".hasPrefix("--rpc.evmtimeout must be a duration"), "\(error)")
        }
        flags = NodeConfiguration.Overrides()
        flags.maxPeers = 0
        XCTAssertThrowsError(try NodeConfiguration.load(configFile: nil, overrides: flags)) { error in
            XCTAssertEqual(error as? NodeConfigurationError, .outOfRange(key: "p2p.maxpeers", range: "1 and 1000"))
        }
    }

    func testTheNodeConfigurationResolvesCoinbaseMinerKeyAndBootnodes() throws {
        var settings = NodeConfiguration()
        settings.datadir = dir.path
        settings.dev = true
        settings.bootnodes = ["127.0.0.1:30334"]
        var node = try settings.nodeConfiguration(genesis: DevGenesis.genesis)
        XCTAssertEqual(node.coinbase, DevGenesis.key.address, "a dev chain pays the dev account")
        XCTAssertNil(node.minerKey)
        XCTAssertEqual(node.p2p?.bootnodes.map(\.description), ["127.0.0.1:30334"])

        // <datadir>/miner.key, when present, is the worker and the coinbase.
        let worker = PrivateKey.random()
        try DataDirectory.writeKey(worker, to: settings.dataDirectory.minerKeyFile)
        node = try settings.nodeConfiguration(genesis: DevGenesis.genesis)
        XCTAssertEqual(node.minerKey?.address, worker.address)
        XCTAssertEqual(node.coinbase, worker.address)

        settings.coinbase = "0x12"
        XCTAssertThrowsError(try settings.nodeConfiguration(genesis: DevGenesis.genesis)) { error in
            XCTAssertEqual(error as? NodeConfigurationError, .invalidCoinbase("0x12"))
        }
        settings.coinbase = ""
        settings.bootnodes = ["nowhere"]
        XCTAssertThrowsError(try settings.nodeConfiguration(genesis: DevGenesis.genesis)) { error in
            XCTAssertEqual(error as? NodeConfigurationError, .invalidBootnode("nowhere"))
        }
        settings.bootnodes = []
        settings.minerKey = dir.appendingPathComponent("absent.key").path
        XCTAssertThrowsError(try settings.nodeConfiguration(genesis: DevGenesis.genesis)) { error in
            XCTAssertEqual(error as? DataDirectoryError, .unreadableKeyFile(path: settings.minerKey))
        }
    }

    func testADevChainServesDebugUnlessTheNamespacesAreChosen() throws {
        var dev = NodeConfiguration()
        dev.dev = true
        XCTAssertEqual(dev.rpcLimits.apis, RPCLimits.defaultAPIs.union(["debug"]))
        dev.httpAPI = ["eth", "net"]
        XCTAssertEqual(dev.rpcLimits.apis, ["eth", "net"], "a chosen list is served as it is")
        XCTAssertEqual(NodeConfiguration().rpcLimits.apis, RPCLimits.defaultAPIs, "no debug on a normal chain")
        var chosen = NodeConfiguration()
        chosen.httpAPI = ["eth", "debug"]
        XCTAssertNoThrow(try chosen.validate())
        XCTAssertEqual(chosen.rpcLimits.apis, ["eth", "debug"])
    }
}
