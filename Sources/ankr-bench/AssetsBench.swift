import AnkrAssets
import AnkrChain
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
import Logging

/// The asset API's read path: `GET /v1/assets/{id}` (status and history, JSON) against `eth_call`
/// of the same contract view and `web3_clientVersion` (transport only), on one dev node.
struct AssetsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "GET /v1/assets/{id} over loopback HTTP, against eth_call of the Assets view and web3_clientVersion on the same server.")

    @Option(help: "Concurrent keep-alive connections.") var connections = 8
    @Option(help: "Seconds per measurement.") var seconds: Double = 3
    @Option(help: "History entries of the asset read (transfers back and forth).") var history = 10
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-assetsbench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            var config = Node.Configuration(dataDirectory: DataDirectory(url: dir), genesis: DevGenesis.genesis)
            config.rpc.port = 0
            let node = try Node(configuration: config, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
            defer { node.shutdown() }
            // One asset with `history` changes: promoted, then moved between two owners.
            let rpc = RPCClient(url: try Self.url(node.rpcPort))
            let owner = DevGenesis.key
            let other = try PrivateKey(hex: "0x" + String(repeating: "5a", count: 32))
            _ = try Transactor(rpc: rpc, signer: owner).send(to: other.address, value: UInt256(1_000_000_000_000_000_000))
            let id = UInt256(77)
            var holders = [owner, other]
            try Self.apply(rpc, owner, "put(uint256,bytes32,uint256)", [.uint(id), .fixedBytes([UInt8](repeating: 7, count: 32)), .uint(.zero)])
            for _ in 1..<max(1, history) {
                try Self.apply(rpc, holders[0], "transfer(uint256,address)", [.uint(id), .address(holders[1].address)])
                holders.swapAt(0, 1)
            }
            let call = #"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"\#(AssetsContract.address)","data":"\#(try ABI.encodeCall("asset(uint256)", [.uint(id)]).hexPrefixed)"},"latest"]}"#
            let version = #"{"jsonrpc":"2.0","id":1,"method":"web3_clientVersion","params":[]}"#
            let rest = try LoadGenerator.run(port: node.rpcPort, get: "/v1/assets/\(id)", connections: connections, seconds: seconds)
            let view = try LoadGenerator.run(port: node.rpcPort, body: call, connections: connections, seconds: seconds)
            let base = try LoadGenerator.run(port: node.rpcPort, body: version, connections: connections, seconds: seconds)
            if json {
                print(JSON.object(["get_asset_per_second": .double(rest), "eth_call_asset_per_second": .double(view),
                                   "web3_clientVersion_per_second": .double(base), "history": .int(clamping: history), "connections": .int(clamping: connections)]).text)
            } else {
                print(String(format: "GET /v1/assets/{id}  %8.0f req/s (status + %d history entries)", rest, history))
                print(String(format: "eth_call asset(id)   %8.0f req/s (the status view alone)", view))
                print(String(format: "web3_clientVersion   %8.0f req/s (transport + JSON baseline)", base))
                print(String(format: "ratio GET / baseline %8.2f×", rest / base))
            }
        }
    }

    static func url(_ port: Int) throws -> URL {
        guard let u = URL(string: "http://127.0.0.1:\(port)") else { throw BenchError.noRPCPort(port) }
        return u
    }

    /// Sends a call to the Assets contract and waits until it is mined.
    static func apply(_ rpc: RPCClient, _ key: PrivateKey, _ signature: String, _ args: [ABIValue]) throws {
        let transactor = Transactor(rpc: rpc, signer: key)
        try transactor.waitForSuccess(try transactor.send(to: AssetsContract.address, data: try ABI.encodeCall(signature, args)))
    }
}
