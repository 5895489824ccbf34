@testable import AnkrRPC
import Foundation
import XCTest

/// A node that is down is reported as such: "cannot reach the node at URL (connection refused)", the
/// words the relay, the operator and the watcher log while they retry.
final class RPCClientUnreachableTests: XCTestCase {
    /// A loopback port nothing listens on: bound, then released.
    func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func testARefusedConnectionSaysSoAndNamesTheURL() throws {
        let port = try closedPort()
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)"))
        XCTAssertThrowsError(try RPCClient(url: url, timeout: 5).call("eth_blockNumber", [])) { error in
            XCTAssertEqual(error as? RPCClientError, .unreachable(url: "http://127.0.0.1:\(port)", reason: "connection refused"))
            XCTAssertEqual("\(error)", "cannot reach the node at http://127.0.0.1:\(port) (connection refused)")
        }
        XCTAssertThrowsError(try EthClient(rpc: RPCClient(url: url, timeout: 5)).blockNumber()) { error in
            XCTAssertEqual(error as? RPCClientError, .unreachable(url: "http://127.0.0.1:\(port)", reason: "connection refused"),
                           "not \"eth_blockNumber is not a number\"")
        }
    }

    /// A node killed while our request is in flight: it accepted the connection and closed it without a
    /// byte of reply. That is the same outage as the refusals that follow, not a malformed reply.
    func testAConnectionClosedWithoutAReplyIsUnreachable() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        } && listen(fd, 4) == 0
        XCTAssertTrue(listening)
        let port = Int(UInt16(bigEndian: address.sin_port))
        // Accept, read the request, close: twice (the RPC client may retry once on a dropped keep-alive).
        let server = Thread {
            for _ in 0..<2 {
                let c = accept(fd, nil, nil)
                guard c >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = read(c, &buffer, buffer.count)
                close(c)
            }
        }
        server.start()
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)"))
        XCTAssertThrowsError(try RPCClient(url: url, timeout: 5).call("eth_blockNumber", [])) { error in
            XCTAssertEqual(error as? RPCClientError, .unreachable(url: "http://127.0.0.1:\(port)", reason: "connection closed before a reply"))
        }
        shutdown(fd, Int32(SHUT_RDWR))
    }

    func testOnlyFailedConnectionsAreUnreachable() {
        XCTAssertEqual(RPCClient.connectionFailure(URLError(.cannotConnectToHost)), "connection refused")
        XCTAssertEqual(RPCClient.connectionFailure(URLError(.cannotFindHost)), "unknown host")
        XCTAssertNil(RPCClient.connectionFailure(URLError(.timedOut)), "a reply that stalls came from a node that was reached")
        XCTAssertNil(RPCClient.connectionFailure(CocoaError(.fileNoSuchFile)))
        XCTAssertNil(RPCClient.closedWithoutReply(URLError(.badServerResponse), status: 200, data: nil), "a reply began")
        XCTAssertNil(RPCClient.closedWithoutReply(URLError(.timedOut), status: 0, data: nil))
    }

    func testTheMessageShowsOnlyTheNodesOriginNeverItsCredentials() throws {
        let url = try XCTUnwrap(URL(string: "https://user:secret@rpc.example:8545/v1/APIKEY123?token=t"))
        XCTAssertEqual(RPCClient.origin(of: url), "https://rpc.example:8545")
        XCTAssertEqual(RPCClient.origin(of: try XCTUnwrap(URL(string: "http://[::1]:8545/k"))), "http://[::1]:8545")
        XCTAssertEqual(RPCClient.origin(of: try XCTUnwrap(URL(string: "relative/path"))), "the node's URL")
    }
}
