import AnkrChain
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import Foundation
import Logging
import XCTest

/// When a node unlocks development keys: only on a genesis that says `config.ankr.unlockDevAccounts: true` (what
/// `ankr node --dev` and `ankr devnet` write), only the public development keys built into the binary, and only
/// those that genesis funds. A genesis written by hand that funds the very same keys unlocks nothing.
final class DevAccountUnlockTests: XCTestCase {
    /// `DevGenesis.json` with `replacement` in place of the unlock mark.
    func devJSON(replacingMarkWith replacement: String) throws -> Genesis {
        let text = DevGenesis.json.replacingOccurrences(of: DevGenesis.unlockJSON + ", ", with: replacement)
        XCTAssertNotEqual(text, DevGenesis.json, "the dev genesis carries the mark")
        return try Genesis(json: Data(text.utf8))
    }

    func testTheDevGenesisUnlocksItsFundedKeyAndANormalGenesisWithTheSameKeyDoesNot() throws {
        let dev = try Genesis(json: Data(DevGenesis.json.utf8))
        XCTAssertTrue(dev.parameters.unlockDevAccounts)
        XCTAssertEqual(DevGenesis.unlockedKeys(genesis: dev).map(\.address), [DevGenesis.key.address])
        XCTAssertEqual(DevGenesis.unlockedKeys(genesis: DevGenesis.genesis).map(\.address), [DevGenesis.key.address])

        let normal = try devJSON(replacingMarkWith: "")
        XCTAssertEqual(normal.alloc.keys.first, DevGenesis.key.address, "the same funded key, the same chain id")
        XCTAssertEqual(normal.chainID, DevGenesis.chainID)
        XCTAssertEqual(DevGenesis.unlockedKeys(genesis: normal).count, 0)
        XCTAssertEqual(DevGenesis.unlockedKeys(genesis: try devJSON(replacingMarkWith: #""unlockDevAccounts": false, "#)).count, 0)

        var settings = NodeConfiguration()
        settings.datadir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-unlock-\(UUID().uuidString)").path
        XCTAssertEqual(try settings.nodeConfiguration(genesis: dev).devAccounts.map(\.address), [DevGenesis.key.address])
        settings.dev = true
        XCTAssertEqual(try settings.nodeConfiguration(genesis: normal).devAccounts.count, 0, "--dev alone does not unlock a normal genesis")
    }

    func testOnlyTheBuiltInDevelopmentKeysThatGenesisFundsAreUnlocked() throws {
        let stranger = PrivateKey.random()
        var genesis = DevGenesis.genesis
        genesis.alloc[stranger.address] = .init(balance: DevGenesis.balance)
        genesis.alloc[DevGenesis.accountKeys[3].address] = .init(balance: .one)
        genesis.alloc[DevGenesis.accountKeys[2].address] = .init(balance: .zero)
        let unlocked = DevGenesis.unlockedKeys(genesis: genesis).map(\.address)
        XCTAssertEqual(unlocked, [DevGenesis.accountKeys[0], DevGenesis.accountKeys[3]].map(\.address),
                       "the built-in keys genesis funds, in their order; never a key the binary does not publish, nor an empty account")
        XCTAssertEqual(Set(DevGenesis.accountKeys.map(\.address)).count, 6)
    }

    func testAMarkThatIsNotABooleanIsRefusedWithItsPath() throws {
        XCTAssertThrowsError(try devJSON(replacingMarkWith: #""unlockDevAccounts": "yes", "#)) { error in
            XCTAssertEqual(error as? GenesisError, .wrongType(path: "config.ankr.unlockDevAccounts", expected: "true or false"))
        }
    }

    func testANodeIgnoresKeysItIsGivenOnAChainThatIsNotADevelopmentChain() throws {
        for (genesis, expected) in [(try devJSON(replacingMarkWith: ""), [JSON]()), (DevGenesis.genesis, [.string(DevGenesis.key.address.checksummed)])] {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-unlock-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            var config = Node.Configuration(dataDirectory: DataDirectory(url: root), genesis: genesis)
            config.rpc.port = 0
            config.devAccounts = [DevGenesis.key]
            let node = try Node(configuration: config, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            defer { node.shutdown() }
            let client = RPCClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(node.rpcPort)")), timeout: 10)
            XCTAssertEqual(try client.call("eth_accounts", []), .array(expected))
            if expected.isEmpty {
                XCTAssertThrowsError(try client.call("eth_sign", [.string(DevGenesis.key.address.checksummed), "0x01"])) { error in
                    XCTAssertTrue("\(error)".contains("unknown account"), "\(error)")
                }
            }
        }
    }
}
