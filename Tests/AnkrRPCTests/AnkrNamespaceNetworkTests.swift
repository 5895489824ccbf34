import AnkrChain
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import Foundation
import XCTest

/// The `ankr_` and `net_` answers about peers come from the node's ``NetworkStatus``, in the formats
/// the CLI and the explorer read.
final class AnkrNamespaceNetworkTests: XCTestCase {
    private final class FakeNetwork: NetworkStatus, @unchecked Sendable {
        let lock = NSLock()
        var dialed: [String] = []
        var peerCount: Int { 2 }
        var connectedPeers: [NetworkPeer] {
            [NetworkPeer(nodeID: "02aa", remoteAddress: "10.0.0.2:30333", outbound: true, headNumber: 26, totalDifficulty: UInt256(300)),
             NetworkPeer(nodeID: "03bb", remoteAddress: "10.0.0.3:40000", outbound: false)]
        }
        var syncStatus: SyncStatus? { SyncStatus(start: 1, current: 16, highest: 255) }
        var nodeID: String { "02cc" }
        var listenAddress: String { "0.0.0.0:30333" }
        func addPeer(_ endpoint: String) -> Bool {
            guard endpoint.contains(":") else { return false }
            lock.withLock { dialed.append(endpoint) }
            return true
        }
    }

    func testPeersSyncAndNodeInfoComeFromTheNetworkStatus() throws {
        let chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, alloc: [:]))
        let network = FakeNetwork()
        var limits = RPCLimits()
        limits.apis.insert("admin")
        let table = RPCMethodTable(limits: limits)
        EthNamespace(backend: ChainBackend(chain)).register(in: table)
        AnkrNamespace(backend: ChainBackend(chain), network: network).register(in: table)
        func rpc(_ method: String, _ params: JSON = []) throws -> JSON {
            let request: JSON = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": params]
            return try JSON(parsing: XCTUnwrap(table.handle(body: Data(request.serialized()))))
        }
        XCTAssertEqual(try rpc("net_peerCount")["result"], "0x2")
        XCTAssertEqual(try rpc("ankr_peers")["result"], [
            ["id": "0x02aa", "remoteAddress": "10.0.0.2:30333", "direction": "outbound", "headNumber": "0x1a", "totalDifficulty": "0x12c"],
            ["id": "0x03bb", "remoteAddress": "10.0.0.3:40000", "direction": "inbound", "headNumber": nil, "totalDifficulty": nil],
        ])
        let syncing: JSON = ["startingBlock": "0x1", "currentBlock": "0x10", "highestBlock": "0xff"]
        XCTAssertEqual(try rpc("eth_syncing")["result"], syncing)
        XCTAssertEqual(try rpc("ankr_syncing")["result"], syncing)
        let info = try XCTUnwrap(try rpc("ankr_nodeInfo")["result"])
        XCTAssertEqual(info["id"], "0x02cc")
        XCTAssertEqual(info["listenAddress"], "0.0.0.0:30333")
        XCTAssertEqual(info["peerCount"], 2)
        XCTAssertEqual(info["chainId"], "0x1ca3")
        XCTAssertEqual(try rpc("ankr_addPeer", ["10.0.0.9:30333"])["result"], true)
        XCTAssertEqual(network.lock.withLock { network.dialed }, ["10.0.0.9:30333"])
        XCTAssertEqual(try rpc("ankr_addPeer", ["nowhere"])["error"]?["code"], -32602)
        XCTAssertEqual(try rpc("ankr_getSeal", ["0x0"])["result"], "0x", "a development seal is shown as its bytes")

        // Without a network: no peers, not syncing, and no P2P identity in the node info.
        let alone = RPCMethodTable()
        EthNamespace(backend: ChainBackend(chain)).register(in: alone)
        AnkrNamespace(backend: ChainBackend(chain)).register(in: alone)
        let body = Data(#"[{"jsonrpc":"2.0","id":1,"method":"net_peerCount"},{"jsonrpc":"2.0","id":2,"method":"eth_syncing"},{"jsonrpc":"2.0","id":3,"method":"ankr_nodeInfo"}]"#.utf8)
        let answers = try XCTUnwrap(try JSON(parsing: XCTUnwrap(alone.handle(body: body))).array)
        XCTAssertEqual(answers.map { $0["result"]?.object == nil ? $0["result"] : nil }, ["0x0", false, nil])
        XCTAssertNil(answers[2]["result"]?["id"])
        XCTAssertEqual(answers[2]["result"]?["peerCount"], 0)
    }
}
