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

/// A hostile node that answers one byte at a time must not hold a client past its timeout.
final class RPCClientTimeoutTests: XCTestCase {
    func testAReplyTrickledByteByByteEndsAtTheTimeout() throws {
        let server = try TrickleServer()
        server.start()
        defer { server.stop() }
        let client = RPCClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)")), timeout: 1.5)
        let started = Date()
        XCTAssertThrowsError(try client.call("eth_blockNumber", [])) { error in
            guard case .transport = error as? RPCClientError else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 6, "the client waited for the trickle instead of its 1.5 s")
    }

    /// Accepts connections on 127.0.0.1 and sends a reply's headers, then one body byte every 200 ms (for at most 20 s).
    final class TrickleServer: @unchecked Sendable {
        let port: Int
        private let fd: Int32
        private let lock = NSLock()
        private var stopped = false

        init() throws {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = 0
            let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard bound == 0, listen(s, 4) == 0 else { close(s); throw POSIXError(.EADDRINUSE) }
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
            fd = s
            port = Int(UInt16(bigEndian: addr.sin_port))
        }

        func start() {
            let listener = fd
            Thread.detachNewThread { [self] in
                while !self.isStopped {
                    let conn = accept(listener, nil, nil)
                    guard conn >= 0 else { return }
                    Thread.detachNewThread {
                        var buffer = [UInt8](repeating: 0, count: 4096)
                        _ = read(conn, &buffer, buffer.count)
                        let head = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n".utf8)
                        _ = head.withUnsafeBytes { write(conn, $0.baseAddress, head.count) }
                        for _ in 0..<100 where !self.isStopped {
                            Thread.sleep(forTimeInterval: 0.2)
                            var byte = UInt8(ascii: " ")
                            if write(conn, &byte, 1) != 1 { break }
                        }
                        close(conn)
                    }
                }
            }
        }

        var isStopped: Bool { lock.withLock { stopped } }

        func stop() {
            lock.withLock { stopped = true }
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }
}

/// A stranger cannot hold the server's connections: a request must arrive whole within the request
/// timeout, a silent connection is closed after the idle timeout, and a slow call still gets its answer.
final class RPCServerTimeoutTests: XCTestCase {
    func server(_ table: RPCMethodTable) throws -> RPCServer {
        var config = RPCServer.Configuration()
        config.port = 0
        config.requestTimeout = .milliseconds(700)
        config.idleTimeout = .milliseconds(700)
        return try RPCServer(configuration: config, table: table)
    }

    /// Connects, sends `bytes`, and returns how long until the server closed the connection (nil: still open after `limit`).
    func closedAfter(port: Int, sending bytes: String, limit: TimeInterval = 5) -> TimeInterval? {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return 0 }
        let out = Array(bytes.utf8)
        if !out.isEmpty { _ = out.withUnsafeBytes { write(s, $0.baseAddress, out.count) } }
        var timeout = timeval(tv_sec: Int(limit), tv_usec: 0)
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(started) < limit {
            let n = read(s, &buffer, buffer.count)
            if n == 0 { return Date().timeIntervalSince(started) }
            if n < 0 { return nil }
        }
        return nil
    }

    func testAHalfSentRequestAndASilentConnectionAreClosed() throws {
        let table = RPCMethodTable()
        let server = try server(table)
        defer { server.shutdown() }
        let partial = closedAfter(port: server.port, sending: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        XCTAssertNotNil(partial, "a request that never completes holds its connection")
        XCTAssertLessThan(partial ?? 99, 4)
        let silent = closedAfter(port: server.port, sending: "")
        XCTAssertNotNil(silent, "a silent connection is never closed")
        XCTAssertLessThan(silent ?? 99, 4)
    }

    func testACallSlowerThanTheIdleTimeoutIsStillAnswered() throws {
        var limits = RPCLimits()
        limits.apis = ["test"]
        let table = RPCMethodTable(limits: limits)
        table.register("test_slow") { _ in
            Thread.sleep(forTimeInterval: 2)
            return "done"
        }
        let server = try server(table)
        defer { server.shutdown() }
        let client = RPCClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)")), timeout: 10)
        XCTAssertEqual(try client.string("test_slow", []), "done")
    }
}
