import AnkrPrimitives
@testable import AnkrRPC
import Foundation
import Synchronization
import XCTest

/// A server with a few methods that exercise sessions: `test_echo`, `test_subscribe` (answers an id,
/// then queues `count` notifications while the call is still being answered) and `test_session`.
func webSocketTestServer(configure: (inout RPCServer.Configuration) -> Void = { _ in }) throws -> (RPCServer, SessionBox) {
    let box = SessionBox()
    var limits = RPCLimits()
    limits.apis = ["test"]
    let table = RPCMethodTable(limits: limits)
    table.register("test_echo") { params in params.values.first ?? .null }
    table.register("test_session", session: { _, session in session.map { .int(Int64($0.sessionID)) } ?? .null })
    // `test_subscribe(count, size)` for raw peers; `eth_subscribe(kind, count)` as WebSocketRPCClient sends it.
    let subscribe: (Int, RPCParams, (any RPCSession)?) throws -> JSON = { first, params, session in
        guard let session else { throw RPCError.methodNotFound("notifications not supported") }
        box.add(session)
        let count = params.values.count > first ? params.values[first].int ?? 0 : 0
        let size = params.values.count > first + 1 ? params.values[first + 1].int ?? 0 : 0
        let filler = String(repeating: "x", count: Int(size))
        // Queued before this call's reply is written: the transport must send them after it.
        for i in 0..<count {
            session.notify(["jsonrpc": "2.0", "method": "eth_subscription",
                            "params": ["subscription": "0x1", "result": ["n": .int(i), "pad": .string(filler)]]])
        }
        return "0x1"
    }
    table.register("test_subscribe", session: { try subscribe(0, $0, $1) })
    table.register("eth_subscribe", api: "test", session: { try subscribe(1, $0, $1) })
    var config = RPCServer.Configuration()
    config.port = 0
    configure(&config)
    return (try RPCServer(configuration: config, table: table), box)
}

final class WebSocketTransportTests: XCTestCase {
    func testCallOverWebSocketAnswersAsOverHTTP() throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        let peer = try WebSocketTestPeer(port: server.port)
        let head = try peer.handshake()
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), head)
        XCTAssertTrue(head.lowercased().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="), head)
        peer.sendText(#"{"jsonrpc":"2.0","id":7,"method":"test_echo","params":["hi"]}"#)
        XCTAssertEqual(try JSON(parsing: Data(try peer.readText().utf8)), ["jsonrpc": "2.0", "id": 7, "result": "hi"])
        // A batch answers as a batch; a notification call answers nothing, so the next reply is the batch's.
        peer.sendText(#"{"jsonrpc":"2.0","method":"test_echo","params":[1]}"#)
        peer.sendText(#"[{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[1]},{"jsonrpc":"2.0","id":2,"method":"nope"}]"#)
        let batch = try JSON(parsing: Data(try peer.readText().utf8))
        XCTAssertEqual(batch.array?.count, 2)
        XCTAssertEqual(batch[1]?["error"]?["code"], -32601)
    }

    func testSessionIsGivenOverWebSocketAndNilOverHTTP() throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        let a = try WebSocketTestPeer(port: server.port), b = try WebSocketTestPeer(port: server.port)
        try a.handshake()
        try b.handshake()
        a.sendText(#"{"jsonrpc":"2.0","id":1,"method":"test_session"}"#)
        b.sendText(#"{"jsonrpc":"2.0","id":1,"method":"test_session"}"#)
        let idA = try JSON(parsing: Data(try a.readText().utf8))["result"]?.int
        let idB = try JSON(parsing: Data(try b.readText().utf8))["result"]?.int
        XCTAssertNotNil(idA)
        XCTAssertNotNil(idB)
        XCTAssertNotEqual(idA, idB)
        let http = RPCClient(url: URL(string: "http://127.0.0.1:\(server.port)")!)
        XCTAssertEqual(try http.call("test_session", []), .null)
    }

    func testNotificationsQueuedDuringACallFollowItsReply() throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        let peer = try WebSocketTestPeer(port: server.port)
        try peer.handshake()
        peer.sendText(#"{"jsonrpc":"2.0","id":5,"method":"test_subscribe","params":[3]}"#)
        XCTAssertEqual(try JSON(parsing: Data(try peer.readText().utf8))["result"], "0x1")
        for i in 0..<3 {
            let note = try JSON(parsing: Data(try peer.readText().utf8))
            XCTAssertEqual(note["method"], "eth_subscription")
            XCTAssertEqual(note["params"]?["result"]?["n"], .int(Int64(i)))
        }
    }

    func testSlowSubscriberIsClosedWith1008AndItsSessionEnds() throws {
        let (server, box) = try webSocketTestServer { config in
            config.webSocketQueueBytes = 1 << 20
            config.webSocketQueueMessages = 1000
        }
        defer { server.shutdown() }
        let peer = try WebSocketTestPeer(port: server.port, timeout: 10)
        peer.setReceiveBuffer(4096)
        try peer.handshake()
        // 400 notifications of 64 KiB: far more than the kernel's buffers and the 1 MiB bound, with the client reading nothing.
        peer.sendText(#"{"jsonrpc":"2.0","id":1,"method":"test_subscribe","params":[400, 65536]}"#)
        XCTAssertTrue(box.wait { box.all.count == 1 })
        let session = try XCTUnwrap(box.all.first)
        XCTAssertTrue(box.wait(10) { !session.notify(["jsonrpc": "2.0", "method": "eth_subscription"]) }, "the session must refuse once dropped")
        XCTAssertTrue(box.wait(10) { box.closedIDs == [session.sessionID] })
        // Now read: the reply, some notifications, and at the end the close frame with its reason.
        let close = try XCTUnwrap(try peer.readUntilClose())
        XCTAssertEqual(close.closeCode, 1008)
        XCTAssertTrue(close.closeReason.contains("too slow"), close.closeReason)
    }

    func testOnCloseRunsWhenTheClientLeavesAndAtOnceAfterwards() throws {
        let (server, box) = try webSocketTestServer()
        defer { server.shutdown() }
        var peer: WebSocketTestPeer? = try WebSocketTestPeer(port: server.port)
        try peer?.handshake()
        peer?.sendText(#"{"jsonrpc":"2.0","id":1,"method":"test_subscribe","params":[0]}"#)
        _ = try peer?.readText()
        let session = try XCTUnwrap(box.all.first)
        peer = nil
        XCTAssertTrue(box.wait { box.closedIDs == [session.sessionID] })
        XCTAssertFalse(session.notify(["jsonrpc": "2.0"]))
        let ran = Mutex(false)
        session.onClose { ran.withLock { $0 = true } }
        XCTAssertTrue(ran.withLock { $0 })
    }

    func testCloseIsEchoedAndPingAnswered() throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        let peer = try WebSocketTestPeer(port: server.port)
        try peer.handshake()
        peer.sendFrame(opcode: 9, payload: Array("are you there".utf8))
        XCTAssertEqual(try peer.readFrame(), .init(fin: true, opcode: 10, payload: Array("are you there".utf8)))
        peer.sendFrame(opcode: 8, payload: [0x03, 0xE8])
        XCTAssertEqual(try peer.readFrame().closeCode, 1000)
    }

    func testSilentClientIsPingedThenClosed() throws {
        let (server, _) = try webSocketTestServer { $0.idleTimeout = .milliseconds(300) }
        defer { server.shutdown() }
        let peer = try WebSocketTestPeer(port: server.port)
        try peer.handshake()
        XCTAssertEqual(try peer.readFrame().opcode, 9)
        let close = try XCTUnwrap(try peer.readUntilClose())
        XCTAssertEqual(close.closeCode, 1001)
    }

    func testOriginsFollowTheCORSList() throws {
        let (server, _) = try webSocketTestServer { $0.corsOrigins = ["https://app.example"] }
        defer { server.shutdown() }
        XCTAssertTrue(try WebSocketTestPeer(port: server.port).handshake().hasPrefix("HTTP/1.1 101"), "no origin: not a browser page")
        XCTAssertTrue(try WebSocketTestPeer(port: server.port).handshake(origin: "https://app.example").hasPrefix("HTTP/1.1 101"))
        let refused = try WebSocketTestPeer(port: server.port).handshake(origin: "https://evil.example")
        XCTAssertTrue(refused.hasPrefix("HTTP/1.1 403"), refused)
        // A page served by the node itself (its explorer) is same-origin.
        let same = try WebSocketTestPeer(port: server.port).handshake(origin: "http://127.0.0.1:\(server.port)", host: "127.0.0.1:\(server.port)")
        XCTAssertTrue(same.hasPrefix("HTTP/1.1 101"), same)

        let (open, _) = try webSocketTestServer { $0.corsOrigins = []; $0.webSocketOrigins = ["*"] }
        defer { open.shutdown() }
        XCTAssertTrue(try WebSocketTestPeer(port: open.port).handshake(origin: "https://evil.example").hasPrefix("HTTP/1.1 101"))
    }

    func testOriginPolicy() {
        let policy = WebSocketOriginPolicy(allowed: ["http://localhost:3000"])
        XCTAssertTrue(policy.admits(origin: nil, host: nil))
        XCTAssertTrue(policy.admits(origin: "http://localhost:3000", host: "127.0.0.1:8545"))
        XCTAssertFalse(policy.admits(origin: "http://localhost:3001", host: "127.0.0.1:8545"))
        XCTAssertFalse(policy.admits(origin: "null", host: "127.0.0.1:8545"))
        XCTAssertFalse(policy.admits(origin: "http://127.0.0.1:8545", host: ""))
        XCTAssertTrue(policy.admits(origin: "http://127.0.0.1:8545", host: "127.0.0.1:8545"))
        XCTAssertFalse(policy.admits(origin: "http://127.0.0.1:8545.evil", host: "127.0.0.1:8545"))
    }
}
