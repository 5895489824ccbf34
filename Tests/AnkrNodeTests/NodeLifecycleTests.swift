import AnkrChain
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import Foundation
import Logging
import XCTest

/// A dev node starts on an ephemeral port, answers JSON-RPC, stops, and starts again on the same
/// datadir with its chain kept.
final class NodeLifecycleTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-node-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func start() throws -> (Node, EthClient) {
        var settings = NodeConfiguration()
        settings.datadir = root.path
        settings.dev = true
        settings.httpPort = 0
        settings.p2p = false
        let dir = settings.dataDirectory
        if !dir.isInitialized { try dir.initialize(genesisJSON: Data(DevGenesis.json.utf8)) }
        let node = try Node(configuration: try settings.nodeConfiguration(genesis: try dir.loadGenesis()),
                            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(node.rpcPort)"))
        return (node, EthClient(url: url, timeout: 10))
    }

    func testADevNodeServesStopsAndRestartsWithItsHead() throws {
        let (node, client) = try start()
        XCTAssertNotEqual(node.rpcPort, 0, "port 0 picked a free port")
        XCTAssertEqual(try client.blockNumber(), 0)
        let transactor = Transactor(client: client, signer: DevGenesis.key)
        let receipt = try transactor.waitForSuccess(try transactor.send(to: PrivateKey.random().address, value: UInt256(1)), seconds: 30)
        let head = try client.blockNumber()
        XCTAssertGreaterThanOrEqual(head, receipt.blockNumber)
        XCTAssertGreaterThan(head, 0)
        let port = node.rpcPort
        node.shutdown()
        XCTAssertThrowsError(try EthClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)")), timeout: 2).blockNumber(),
                             "a stopped node no longer answers")

        let (again, client2) = try start()
        defer { again.shutdown() }
        XCTAssertEqual(again.chain.head.number, head)
        XCTAssertEqual(try client2.blockNumber(), head)
        XCTAssertNotNil(try client2.receipt(receipt.transactionHash), "the transaction survived the restart")
    }

    func testAMinerRefusesToStartWithoutTheChainsAttestationRootKey() throws {
        let root = PrivateKey.random()
        let genesis = try Genesis(json: Data("""
            {"config": {"chainId": 99, "ankr": {"consensus": "pouw", "attestationRoots": ["\(root.publicKey.compressed.hexPrefixed)"],
             "allowedMeasurements": ["0x\(String(repeating: "11", count: 32))"], "allowSimulatedAttestation": true}},
             "difficulty": "0x100000"}
            """.utf8))
        let dir = DataDirectory(url: self.root)
        var configuration = Node.Configuration(dataDirectory: dir, genesis: genesis)
        configuration.rpc.port = 0
        configuration.mine = true
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        XCTAssertThrowsError(try Node(configuration: configuration, logger: quiet)) {
            XCTAssertEqual($0 as? DataDirectoryError, .missingAttestationRootKey(path: dir.attestationRootKeyFile.path))
        }
        try DataDirectory.writeKey(PrivateKey.random(), to: dir.attestationRootKeyFile)
        XCTAssertThrowsError(try Node(configuration: configuration, logger: quiet)) {
            XCTAssertEqual($0 as? NodeError, .foreignAttestationRoot(path: dir.attestationRootKeyFile.path))
        }
    }
}
