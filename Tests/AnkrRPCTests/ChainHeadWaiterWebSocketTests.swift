import AnkrPrimitives
@testable import AnkrRPC
import Foundation
import XCTest

final class ChainHeadWaiterWebSocketTests: XCTestCase {
    func testWaiterWakesOnHeadsAndFallsBackToSleepingWithoutWebSocket() throws {
        let (server, box) = try webSocketTestServer()
        defer { server.shutdown() }
        let waiter = ChainHeadWaiter(nodeURL: URL(string: "http://127.0.0.1:\(server.port)")!, retry: .milliseconds(100))
        defer { waiter.stop() }
        XCTAssertEqual(waiter.webSocketURL?.absoluteString, "ws://127.0.0.1:\(server.port)")
        XCTAssertTrue(box.wait { waiter.isSubscribed && box.all.count == 1 })
        let session = try XCTUnwrap(box.all.first)
        // A head arriving while the loop waits ends the wait long before its timeout.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) {
            session.notify(["jsonrpc": "2.0", "method": "eth_subscription", "params": ["subscription": "0x1", "result": ["number": "0x2"]]])
        }
        let started = Date()
        waiter.wait(upTo: 10)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)

        // No WebSocket (an https node, or nothing listening): a plain sleep of the polling interval.
        for url in ["https://127.0.0.1:1", "http://127.0.0.1:1"] {
            let polling = ChainHeadWaiter(nodeURL: URL(string: url)!, retry: .milliseconds(100))
            defer { polling.stop() }
            let t0 = Date()
            polling.wait(upTo: 0.3)
            XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(t0), 0.25, url)
            XCTAssertFalse(polling.isSubscribed)
        }
    }

    func testWaiterResubscribesAfterTheConnectionDrops() throws {
        let (server, box) = try webSocketTestServer()
        defer { server.shutdown() }
        let waiter = ChainHeadWaiter(nodeURL: URL(string: "http://127.0.0.1:\(server.port)")!, retry: .milliseconds(100))
        defer { waiter.stop() }
        XCTAssertTrue(box.wait { box.all.count == 1 })
        let first = try XCTUnwrap(box.all.first as? WebSocketSession)
        first.closeConnection(code: .goingAway, reason: "test drop")
        XCTAssertTrue(box.wait(10) { box.all.count == 2 && waiter.isSubscribed }, "a new subscription after the drop")
    }
}
