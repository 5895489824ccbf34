import AnkrPrimitives
import AnkrRPC
import Foundation
import XCTest

/// A JSON-RPC server answering each method with a fixed reply: the operator or main-chain node a
/// client must not trust. Shut it down with ``stop()``.
final class CannedNode {
    let server: RPCServer
    let url: URL

    init(_ replies: [String: JSON]) throws {
        let table = RPCMethodTable()
        for (method, reply) in replies { table.register(method) { _ in reply } }
        var config = RPCServer.Configuration()
        config.port = 0
        server = try RPCServer(configuration: config, table: table)
        url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)"))
    }

    var rpc: RPCClient { RPCClient(url: url, timeout: 10) }

    func stop() { server.shutdown() }
}

/// Asserts that `body` throws ``RPCClientError/unexpected(path:expected:found:)`` at `path`.
func XCTAssertUnexpectedReply<T>(at path: String, _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        guard case .unexpected(let at, _, _)? = error as? RPCClientError else { return XCTFail("\(error)", file: file, line: line) }
        XCTAssertEqual(at, path, file: file, line: line)
    }
}
