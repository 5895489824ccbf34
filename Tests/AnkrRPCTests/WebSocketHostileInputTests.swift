import AnkrPrimitives
@testable import AnkrRPC
import Foundation
import XCTest

/// What a hostile WebSocket client gets: a JSON-RPC error or a close with a code saying why, never a
/// crash, and no frame larger than the body limit is buffered.
final class WebSocketHostileInputTests: XCTestCase {
    func connected(_ configure: (inout RPCServer.Configuration) -> Void = { _ in }) throws -> (RPCServer, WebSocketTestPeer) {
        let (server, _) = try webSocketTestServer(configure: configure)
        let peer = try WebSocketTestPeer(port: server.port)
        let head = try peer.handshake()
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), head)
        return (server, peer)
    }

    func testMalformedJSONAndWrongEnvelopesGetJSONRPCErrors() throws {
        let (server, peer) = try connected()
        defer { server.shutdown() }
        let cases: [(String, Int64)] = [
            ("{not json", -32700), ("42", -32700), ("[]", -32600), (#"{"jsonrpc":"1.0","id":1,"method":"test_echo"}"#, -32600),
            (#"{"jsonrpc":"2.0","id":{},"method":"test_echo"}"#, -32600), (#"{"jsonrpc":"2.0","id":1,"method":"eth_nonexistent"}"#, -32601),
            (#"{"jsonrpc":"2.0","id":1,"method":"test_echo","params":7}"#, -32602),
        ]
        for (text, code) in cases {
            peer.sendText(text)
            let reply = try JSON(parsing: Data(try peer.readText().utf8))
            XCTAssertEqual(reply["error"]?["code"], .int(code), text)
        }
        // Invalid UTF-8 in a text frame is no JSON either, and the connection still serves afterwards.
        peer.sendFrame(opcode: 1, payload: [0xFF, 0xFE, 0x7B])
        XCTAssertEqual(try JSON(parsing: Data(try peer.readText().utf8))["error"]?["code"], -32700)
        peer.sendText(#"{"jsonrpc":"2.0","id":2,"method":"test_echo","params":["still here"]}"#)
        XCTAssertEqual(try JSON(parsing: Data(try peer.readText().utf8))["result"], "still here")
    }

    func testOversizedFrameIsClosedWith1009() throws {
        let (server, peer) = try connected { $0.maxBodyBytes = 1024 }
        defer { server.shutdown() }
        peer.sendFrame(opcode: 1, payload: Array(repeating: 0x20, count: 4096))
        XCTAssertEqual(try XCTUnwrap(try peer.readUntilClose()).closeCode, 1009)
    }

    func testFrameAnnouncingAHugeLengthIsClosedWithoutWaitingForIt() throws {
        let (server, peer) = try connected { $0.maxBodyBytes = 1024 }
        defer { server.shutdown() }
        // A header claiming 2^62 bytes, then nothing: the server must not wait for (or allocate) the payload.
        peer.send([0x81, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4])
        XCTAssertEqual(try XCTUnwrap(try peer.readUntilClose()).closeCode, 1009)
    }

    func testFragmentsJoinUnderTheSameBound() throws {
        let (server, peer) = try connected { $0.maxBodyBytes = 1024 }
        defer { server.shutdown() }
        let call = Array(#"{"jsonrpc":"2.0","id":3,"method":"test_echo","params":["joined"]}"#.utf8)
        peer.sendFrame(opcode: 1, payload: Array(call[..<10]), fin: false)
        peer.sendFrame(opcode: 0, payload: Array(call[10...]), fin: true)
        XCTAssertEqual(try JSON(parsing: Data(try peer.readText().utf8))["result"], "joined")
        // Fragments that add up past the bound close the connection.
        peer.sendFrame(opcode: 1, payload: Array(repeating: 0x20, count: 500), fin: false)
        peer.sendFrame(opcode: 0, payload: Array(repeating: 0x20, count: 500), fin: false)
        peer.sendFrame(opcode: 0, payload: Array(repeating: 0x20, count: 500), fin: false)
        XCTAssertNotNil(try peer.readUntilClose())
    }

    func testUnmaskedClientFrameIsAProtocolError() throws {
        let (server, peer) = try connected()
        defer { server.shutdown() }
        peer.sendFrame(opcode: 1, payload: Array(#"{"jsonrpc":"2.0","id":1,"method":"test_echo"}"#.utf8), masked: false)
        XCTAssertEqual(try XCTUnwrap(try peer.readUntilClose()).closeCode, 1002)
    }

    func testContinuationWithoutAStartAndReservedOpcodesClose() throws {
        // A continuation out of nowhere, reserved opcode 3, a ping with a 200-byte (over 125) payload length.
        for first: [UInt8] in [[0x80, 0x80, 1, 2, 3, 4], [0x83, 0x80, 1, 2, 3, 4], [0x89, 0xFE, 0, 200, 1, 2, 3, 4]] {
            let (server, peer) = try connected()
            defer { server.shutdown() }
            peer.send(first)
            XCTAssertNotNil(try peer.readUntilClose(), "\(first)")
        }
    }

    func testTruncatedFrameThenHangUpLeavesTheServerServing() throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        do {
            let peer = try WebSocketTestPeer(port: server.port)
            try peer.handshake()
            peer.send([0x81, 0xFE, 0x10])
        }
        let peer = try WebSocketTestPeer(port: server.port)
        try peer.handshake()
        peer.sendText(#"{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[true]}"#)
        XCTAssertEqual(try JSON(parsing: Data(try peer.readText().utf8))["result"], true)
    }

    func testBadHandshakesAreRefusedOverHTTP() throws {
        let (server, _) = try webSocketTestServer()
        defer { server.shutdown() }
        let noKey = try WebSocketTestPeer(port: server.port)
        noKey.send(Array("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
        XCTAssertTrue(try noKey.readHead().hasPrefix("HTTP/1.1 400"))
        // An upgrade asked on a keep-alive connection's second request.
        let second = try WebSocketTestPeer(port: server.port)
        let body = #"{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[1]}"#
        second.send(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        let first = try second.readHead()
        XCTAssertTrue(first.hasPrefix("HTTP/1.1 200"), first)
        let length = first.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
        _ = try second.readBytes(length ?? 0)
        XCTAssertTrue(try second.handshake().hasPrefix("HTTP/1.1 400"))
    }
}
