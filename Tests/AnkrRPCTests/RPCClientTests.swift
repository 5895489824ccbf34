import AnkrRPC
import Foundation
import XCTest

/// The client wallets, watchers and relays use: a hostile server cannot make it hold an unbounded reply.
final class RPCClientTests: XCTestCase {
    func testRepliesAboveTheLimitAreRefusedAndOthersArrive() throws {
        var limits = RPCLimits()
        limits.apis = ["echo"]
        let table = RPCMethodTable(limits: limits)
        table.register("echo_size") { p in .string(String(repeating: "a", count: Int(try p.quantity64(0, "size")))) }
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: table)
        defer { server.shutdown() }
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)"))
        let client = RPCClient(url: url, timeout: 10, maxReplyBytes: 1 << 20)
        XCTAssertEqual((try client.string("echo_size", [1_000])).count, 1_000)
        XCTAssertThrowsError(try client.call("echo_size", [.int(4 << 20)])) { error in
            XCTAssertEqual(error as? RPCClientError, .replyTooLarge(limit: 1 << 20))
        }
        // The client still works after refusing one.
        for _ in 0..<20 { XCTAssertEqual((try client.string("echo_size", [10])).count, 10) }
    }
}
