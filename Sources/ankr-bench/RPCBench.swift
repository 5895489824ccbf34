import AnkrChain
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import ArgumentParser
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

struct RPCBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "eth_getBalance over loopback HTTP with keep-alive, against web3_clientVersion (no state access) on the same server.")

    @Option(help: "Concurrent keep-alive connections.")
    var connections = 8

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 3

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-rpcbench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            var config = Node.Configuration(dataDirectory: DataDirectory(url: dir), genesis: DevGenesis.genesis)
            config.rpc.port = 0
            let node = try Node(configuration: config, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
            defer { node.shutdown() }
            let address = DevGenesis.key.address.checksummed
            let balance = #"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["\#(address)","latest"]}"#
            let version = #"{"jsonrpc":"2.0","id":1,"method":"web3_clientVersion","params":[]}"#
            let ours = try LoadGenerator.run(port: node.rpcPort, body: balance, connections: connections, seconds: seconds)
            let base = try LoadGenerator.run(port: node.rpcPort, body: version, connections: connections, seconds: seconds)
            if json {
                print(JSON.object(["eth_getBalance_per_second": .double(ours), "web3_clientVersion_per_second": .double(base),
                                   "connections": .int(clamping: connections)]).text)
            } else {
                print(String(format: "eth_getBalance      %8.0f req/s", ours))
                print(String(format: "web3_clientVersion  %8.0f req/s (transport + JSON baseline)", base))
                print(String(format: "ratio               %8.2f×", ours / base))
            }
        }
    }
}
