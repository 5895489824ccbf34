import AnkrPrimitives
@testable import AnkrRPC
import Foundation
import NIOCore
import XCTest

final class WebSocketRPCClientTests: XCTestCase {
    /// The error `body` fails with (nil when it succeeds).
    func failure<T>(_ body: () async throws(RPCClientError) -> T) async -> RPCClientError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }

    func testCallsAndSubscriptionNotificationsArriveInOrder() async throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        let client = try await WebSocketRPCClient.connect(to: URL(string: "ws://127.0.0.1:\(server.port)")!)
        defer { client.close() }
        let echoed = try await client.call("test_echo", ["hello"])
        XCTAssertEqual(echoed, "hello")
        let unknown = await failure { () async throws(RPCClientError) in try await client.call("nope_method") }
        guard case .rpc(let e)? = unknown else { return XCTFail("an unknown method must fail: \(String(describing: unknown))") }
        XCTAssertEqual(e.code, -32601)
        // test_subscribe's handler queues its five notifications before its reply is even written.
        let subscription = try await client.subscribe("ignored", [5])
        XCTAssertEqual(subscription.id, "0x1")
        var seen: [Int64] = []
        for try await note in subscription.notifications {
            seen.append(note["n"]?.int ?? -1)
            if seen.count == 5 { break }
        }
        XCTAssertEqual(seen, [0, 1, 2, 3, 4])
    }

    func testSubscriptionEndsWithTheServersCloseReason() async throws {
        let (server, box) = try webSocketTestServer()
        let client = try await WebSocketRPCClient.connect(to: URL(string: "ws://127.0.0.1:\(server.port)")!)
        let subscription = try await client.subscribe("x", [0])
        XCTAssertTrue(box.wait { box.all.count == 1 })
        server.shutdown()
        do {
            for try await _ in subscription.notifications {}
            XCTFail("the stream must end with an error")
        } catch let error as RPCClientError {
            guard case .transport = error else { return XCTFail("\(error)") }
        }
        let late = await failure { () async throws(RPCClientError) in try await client.call("test_echo", [1]) }
        XCTAssertNotNil(late, "a call on a closed connection must fail")
    }

    func testRefusedOriginAndNonWebSocketServersFailToConnect() async throws {
        let http = await failure { () async throws(RPCClientError) in try await WebSocketRPCClient.connect(to: URL(string: "http://127.0.0.1:1")!) }
        guard case .transport(let why)? = http else { return XCTFail("an http:// URL is not a WebSocket address") }
        XCTAssertTrue(why.contains("ws://"), why)
        let nobody = await failure { () async throws(RPCClientError) in
            try await WebSocketRPCClient.connect(to: URL(string: "ws://127.0.0.1:1")!, timeout: .seconds(2))
        }
        guard case .transport? = nobody else { return XCTFail("nothing listens on port 1") }
        let (server, _) = try webSocketTestServer { $0.corsOrigins = ["https://app.example"] }
        defer { server.shutdown() }
        let refused = await failure { () async throws(RPCClientError) in
            try await WebSocketRPCClient.connect(to: URL(string: "ws://127.0.0.1:\(server.port)")!, origin: "https://evil.example")
        }
        guard case .transport(let reason)? = refused else { return XCTFail("a refused origin must fail") }
        XCTAssertTrue(reason.contains("403"), reason)
    }

    func testHostileServerMessagesAreBounded() async throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        // Replies above the client's message limit end the connection instead of being buffered.
        let client = try await WebSocketRPCClient.connect(to: URL(string: "ws://127.0.0.1:\(server.port)")!, maxMessageBytes: 256)
        let big = await failure { () async throws(RPCClientError) in try await client.call("test_echo", [.string(String(repeating: "y", count: 1000))]) }
        guard case .malformedReply(let why)? = big else { return XCTFail("an oversized reply must fail the call: \(String(describing: big))") }
        XCTAssertTrue(why.contains("limit"), why)
    }

    func testConsumerFallingBehindEndsTheSubscription() async throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        let client = try await WebSocketRPCClient.connect(to: URL(string: "ws://127.0.0.1:\(server.port)")!, maxBufferedNotifications: 3)
        defer { client.close() }
        let subscription = try await client.subscribe("x", [10])
        try await Task.sleep(for: .milliseconds(300))
        var received = 0
        do {
            for try await _ in subscription.notifications { received += 1 }
            XCTFail("the stream must end with an error")
        } catch RPCClientError.transport(let why) {
            XCTAssertTrue(why.contains("behind"), why)
        }
        XCTAssertLessThanOrEqual(received, 3)
    }
}
