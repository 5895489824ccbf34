import AnkrChain
import AnkrCrypto
import AnkrNode
import Foundation
import XCTest

/// The datadir's layout and its key files: owner-only from creation, replaced atomically, refused
/// with a typed error when unreadable or not a key.
final class DataDirectoryTests: XCTestCase {
    var root: URL!
    var dir: DataDirectory!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-datadir-\(UUID().uuidString)")
        dir = DataDirectory(url: root.appendingPathComponent("data"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func permissions(_ url: URL) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    func testEveryFileHasItsPlaceInTheDirectory() {
        XCTAssertEqual(DataDirectory("~/x").url.path, FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent("x").path)
        let names = [dir.genesisFile, dir.databaseFile, dir.nodeKeyFile, dir.minerKeyFile, dir.attestationRootKeyFile, dir.keystore,
                     dir.plasmaDirectory, dir.oracleDirectory].map(\.lastPathComponent)
        XCTAssertEqual(names, ["genesis.json", "chaindata.sqlite", "nodekey", "miner.key", "attestation-root.key", "keystore", "plasma", "oracle"])
        XCTAssertTrue([dir.genesisFile, dir.databaseFile, dir.nodeKeyFile].allSatisfy { $0.deletingLastPathComponent().path == dir.path })
    }

    func testTheNodeKeyIsCreatedOwnerOnlyAndKept() throws {
        let key = try dir.nodeKey()
        XCTAssertEqual(try permissions(dir.nodeKeyFile), 0o600)
        XCTAssertEqual(try dir.nodeKey().bytes, key.bytes, "the second start reads the same key")
        XCTAssertEqual(try DataDirectory.readKey(at: dir.nodeKeyFile).bytes, key.bytes)
    }

    func testWritingAKeyReplacesTheFileWholeAndLeavesNoTemporaryFile() throws {
        try FileManager.default.createDirectory(at: dir.url, withIntermediateDirectories: true)
        // A world-readable file already there is replaced by an owner-only one, not rewritten in place.
        try Data("old".utf8).write(to: dir.minerKeyFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.minerKeyFile.path)
        let key = PrivateKey.random()
        try DataDirectory.writeKey(key, to: dir.minerKeyFile)
        XCTAssertEqual(try permissions(dir.minerKeyFile), 0o600)
        XCTAssertEqual(try String(contentsOf: dir.minerKeyFile, encoding: .utf8), key.bytes.hex)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["miner.key"])
        XCTAssertEqual(try dir.minerKey()?.address, key.address)
    }

    func testUnreadableAndGarbageKeyFilesAreRefused() throws {
        XCTAssertNil(try dir.minerKey(), "no miner.key: no worker")
        let missing = root.appendingPathComponent("absent.key")
        XCTAssertThrowsError(try dir.minerKey(file: missing)) { XCTAssertEqual($0 as? DataDirectoryError, .unreadableKeyFile(path: missing.path)) }
        // A directory where the key should be cannot be read as one (tests run as root, so modes do not stop reads).
        try FileManager.default.createDirectory(at: dir.nodeKeyFile, withIntermediateDirectories: true)
        XCTAssertThrowsError(try dir.nodeKey()) { XCTAssertEqual($0 as? DataDirectoryError, .unreadableKeyFile(path: self.dir.nodeKeyFile.path)) }

        for garbage in ["not hex", "0x1234", String(repeating: "0", count: 64), ""] {
            try Data(garbage.utf8).write(to: dir.minerKeyFile)
            XCTAssertThrowsError(try dir.minerKey(), garbage) { error in
                XCTAssertEqual(error as? DataDirectoryError, .malformedKeyFile(path: self.dir.minerKeyFile.path))
                XCTAssertEqual("\(error)", "\(self.dir.minerKeyFile.path) does not hold a hex secp256k1 private key")
            }
        }
        // Only the first KiB is read: a key file that is huge (or /dev/zero) is refused, not swallowed.
        try Data(repeating: UInt8(ascii: "a"), count: DataDirectory.maxKeyFileBytes + 1).write(to: dir.minerKeyFile)
        XCTAssertThrowsError(try dir.minerKey()) { XCTAssertEqual($0 as? DataDirectoryError, .malformedKeyFile(path: self.dir.minerKeyFile.path)) }
        XCTAssertThrowsError(try dir.minerKey(file: URL(fileURLWithPath: "/dev/zero"))) {
            XCTAssertEqual($0 as? DataDirectoryError, .malformedKeyFile(path: "/dev/zero"))
        }
        // Whitespace and a 0x prefix are how people write keys by hand.
        let key = PrivateKey.random()
        try Data("  0x\(key.bytes.hex)\n".utf8).write(to: dir.minerKeyFile)
        XCTAssertEqual(try dir.minerKey()?.address, key.address)

        XCTAssertThrowsError(try dir.attestationRootKey()) {
            XCTAssertEqual($0 as? DataDirectoryError, .missingAttestationRootKey(path: self.dir.attestationRootKeyFile.path))
        }
    }

    func testInitializeStoresTheGenesisAndRefusesAnotherChain() throws {
        XCTAssertFalse(dir.isInitialized)
        XCTAssertThrowsError(try dir.loadGenesis()) { XCTAssertEqual($0 as? DataDirectoryError, .notInitialized(path: self.dir.path)) }
        let chain = try dir.initialize(genesisJSON: Data(DevGenesis.json.utf8))
        XCTAssertEqual(chain.chainID, DevGenesis.chainID)
        XCTAssertTrue(dir.isInitialized)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.databaseFile.path))
        XCTAssertEqual(try dir.loadGenesis().chainID, DevGenesis.chainID)
        XCTAssertNoThrow(try dir.initialize(genesisJSON: Data(DevGenesis.json.utf8)), "the same chain again is fine")
        XCTAssertThrowsError(try dir.initialize(genesisJSON: Data(#"{"config":{"chainId":100}}"#.utf8))) {
            XCTAssertEqual($0 as? DataDirectoryError, .holdsAnotherChain(path: self.dir.path))
        }
        // Another genesis of the same chain id is refused by the database, and the datadir keeps its own genesis file.
        let other = DevGenesis.json.replacingOccurrences(of: "\"timestamp\": \"0x0\"", with: "\"timestamp\": \"0x1\"")
        XCTAssertNotEqual(other, DevGenesis.json)
        XCTAssertThrowsError(try dir.initialize(genesisJSON: Data(other.utf8)))
        XCTAssertEqual(try Data(contentsOf: dir.genesisFile), Data(DevGenesis.json.utf8), "a refused init leaves the datadir as it was")
    }
}
