import AnkrCommandLine
import AnkrRPC
import ArgumentParser
import Foundation

/// `--rpc`: the node a command talks to.
struct RPCOption: ParsableArguments {
    @Option(help: "The node's JSON-RPC URL.")
    var rpc = "http://127.0.0.1:8545"

    func client() throws -> RPCClient {
        guard let url = URL(string: rpc), url.scheme == "http" || url.scheme == "https" else { throw CommandFailure("--rpc must be an http(s) URL") }
        return RPCClient(url: url)
    }

    /// The typed Ethereum client over ``client()``.
    func eth() throws -> EthClient { EthClient(rpc: try client()) }
}
