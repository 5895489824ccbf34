import AnkrCrypto
import AnkrPrimitives
import Foundation
import XCTest

/// `ankr init`, `ankr account …` and `ankr node` start-up errors, run as a user would.
final class NodeCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func ankr(_ args: [String], env: [String: String] = [:]) throws -> UtilCommandTests.Run {
        try UtilCommandTests.run(args, env: env)
    }

    func testConfigFileSetsEveryNodeSettingAndFlagsOverrideIt() throws {
        // A dump is a config file: reading it back gives the same settings.
        let dumped = try ankr(["config", "dump", "--datadir", "/srv/ankr", "--http.port", "9000", "--no-p2p", "--mine", "--mine.duty", "0.25",
                               "--bootnodes", "10.0.0.1:30333,10.0.0.2:30333", "--log.level", "debug", "--http.corsdomain", "*"])
        XCTAssertEqual(dumped.status, 0, dumped.stderr)
        let file = dir.appendingPathComponent("ankr.toml")
        try Data(dumped.stdout.utf8).write(to: file)
        let reread = try ankr(["config", "dump", "--config", file.path])
        XCTAssertEqual(reread.stdout, dumped.stdout)
        for line in ["datadir = \"/srv/ankr\"", "port = 9000", "enabled = false", "duty = 0.25", "level = \"debug\"",
                     "bootnodes = [\"10.0.0.1:30333\", \"10.0.0.2:30333\"]", "corsdomain = [\"*\"]"] {
            XCTAssertTrue(reread.stdout.contains(line), "missing \(line) in\n\(reread.stdout)")
        }
        // A flag beats the file.
        let overridden = try ankr(["config", "dump", "--config", file.path, "--http.port", "9100", "--p2p"])
        XCTAssertTrue(overridden.stdout.contains("port = 9100"))
        XCTAssertTrue(overridden.stdout.contains("[p2p]\nenabled = true"))

        // Bad files and values: one line on stderr naming the problem, exit 1.
        func refused(_ toml: String, _ expected: String, line: UInt = #line) throws {
            try Data(toml.utf8).write(to: file)
            let r = try ankr(["config", "dump", "--config", file.path])
            XCTAssertEqual(r.status, 1, line: line)
            XCTAssertTrue(r.stderr.contains(expected), r.stderr, line: line)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, line: line)
        }
        try refused("[http]\nprot = 1\n", "unknown settings prot")
        try refused("[http\n", "ankr.toml:1:")
        try refused("[http]\nport = \"x\"\n", "http.port is missing or of the wrong type")
        try refused("[http]\nport = 70000\n", "http.port must be between 0 and 65535")
        try refused("[log]\nlevel = \"loud\"\n", "log.level must be one of")
        try refused("[mine]\nduty = 0\n", "mine.duty must be between 0.01 and 1")
        let missing = try ankr(["config", "dump", "--config", dir.appendingPathComponent("nope.toml").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("cannot read the config file"))
    }

    func testAccountsRoundTripThroughTheKeystore() throws {
        let datadir = dir.appendingPathComponent("data").path
        let pw = dir.appendingPathComponent("pw.txt")
        try Data("correct horse\n".utf8).write(to: pw)
        let created = try ankr(["account", "new", "--light-kdf", "--datadir", datadir, "--password-file", pw.path])
        XCTAssertEqual(created.status, 0, created.stderr)
        let address = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNoThrow(try Address(hex: address))
        XCTAssertTrue(try ankr(["account", "list", "--datadir", datadir]).stdout.contains(address))

        let exported = try ankr(["account", "export", "--datadir", datadir, address])
        let key = try Keystore.decrypt(json: exported.stdout, password: "correct horse")
        XCTAssertEqual(key.address.checksummed, address)

        // Importing a raw key, then the same key again, which is refused.
        let raw = dir.appendingPathComponent("key.txt")
        try Data("0x4646464646464646464646464646464646464646464646464646464646464646\n".utf8).write(to: raw)
        let imported = try ankr(["account", "import", "--light-kdf", "--datadir", datadir, raw.path], env: ["ANKR_PASSWORD": "x"])
        XCTAssertEqual(imported.stdout, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F\n")
        let again = try ankr(["account", "import", "--light-kdf", "--datadir", datadir, raw.path], env: ["ANKR_PASSWORD": "x"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already in the keystore"))
        let noPassword = try ankr(["account", "new", "--datadir", datadir])
        XCTAssertEqual(noPassword.status, 1)
        XCTAssertTrue(noPassword.stderr.contains("no password"), noPassword.stderr)
    }

    func testInitAndNodeStartupErrors() throws {
        let datadir = dir.appendingPathComponent("chain").path
        let notInitialized = try ankr(["node", "--datadir", datadir, "--http.port", "0"])
        XCTAssertEqual(notInitialized.status, 1)
        XCTAssertTrue(notInitialized.stderr.contains("not initialized"), notInitialized.stderr)

        let genesis = dir.appendingPathComponent("genesis.json")
        try Data(#"{"config":{"chainId":99},"alloc":{"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F":{"balance":"0x10"}}}"#.utf8).write(to: genesis)
        let ok = try ankr(["init", "--genesis", genesis.path, "--datadir", datadir])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("initialized chain 99"))

        try Data(#"{"config":{"chainId":100}}"#.utf8).write(to: genesis)
        let other = try ankr(["init", "--genesis", genesis.path, "--datadir", datadir])
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("another chain"), other.stderr)

        try Data("{".utf8).write(to: genesis)
        let broken = try ankr(["init", "--genesis", genesis.path, "--datadir", dir.appendingPathComponent("x").path])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("invalid genesis"), broken.stderr)

        let badPort = try ankr(["node", "--datadir", datadir, "--http.port", "70000"])
        XCTAssertEqual(badPort.status, 1)
        XCTAssertTrue(badPort.stderr.contains("http.port must be between 0 and 65535"), badPort.stderr)
    }

    func testSigningKeysComeFromOneReaderAndBadOnesAreOneErrorLine() throws {
        let to = "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"
        let garbage = dir.appendingPathComponent("bad.key")
        try Data("not a key\n".utf8).write(to: garbage)
        let bad = try ankr(["send", "--to", to, "--value", "1", "--key", garbage.path, "--rpc", "http://127.0.0.1:1"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "ankr: error: \(garbage.path) does not hold a hex secp256k1 private key\n")
        let missing = dir.appendingPathComponent("absent.key").path
        let unreadable = try ankr(["send", "--to", to, "--value", "1", "--key", missing, "--rpc", "http://127.0.0.1:1"])
        XCTAssertEqual(unreadable.stderr, "ankr: error: cannot read the key file \(missing)\n")
        let none = try ankr(["send", "--to", to, "--value", "1", "--rpc", "http://127.0.0.1:1"])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stderr, "ankr: error: give --from (a keystore account), --key <file> or --private-key\n")
    }
}
