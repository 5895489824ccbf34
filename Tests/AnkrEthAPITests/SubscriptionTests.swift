import AnkrChain
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrTestSupport
import XCTest

/// `eth_subscribe` / `eth_unsubscribe` on a session: notifications in geth's envelope and formats,
/// refusal over HTTP, per-connection ownership, the end of subscriptions with their connection, bounds.
final class SubscriptionTests: XCTestCase {
    var t: SubscriptionTestChain!

    override func setUpWithError() throws { t = try SubscriptionTestChain() }

    func subscribe(_ session: SubscriptionTestSession, _ params: String) throws -> String {
        try XCTUnwrap(t.result("eth_subscribe", params, session: session).string)
    }

    func testSubscribingOverHTTPIsRefusedAsGethRefusesIt() throws {
        for params in [#"["newHeads"]"#, #"["logs",{}]"#, #"["nonsense"]"#, "[]"] {
            let e = try t.error("eth_subscribe", params)
            XCTAssertEqual(e.code, -32601)
            XCTAssertEqual(e.message, "notifications not supported")
        }
        XCTAssertEqual(try t.error("eth_unsubscribe", #"["0x1"]"#).message, "subscription not found")
    }

    func testNewHeadsSendsEachHeadAsAHeaderInGethsEnvelope() throws {
        let session = SubscriptionTestSession(1)
        let id = try subscribe(session, #"["newHeads"]"#)
        XCTAssertNotNil(id.wholeMatch(of: /0x[1-9a-f][0-9a-f]{0,31}/), id)
        let b1 = try t.extend([try t.increment(1, from: t.alice, nonce: 0)])
        let b2 = try t.extend()
        let message = try XCTUnwrap(session.raw.first)
        XCTAssertEqual(message["jsonrpc"], "2.0")
        XCTAssertEqual(message["method"], "eth_subscription")
        XCTAssertNil(message["id"])
        let heads = session.take()
        XCTAssertEqual(heads.map(\.subscription), [id, id])
        XCTAssertEqual(heads.map { $0.result["hash"]?.string }, [b1.hash.description, b2.hash.description])
        XCTAssertEqual(heads[0].result["number"], "0x1")
        XCTAssertEqual(heads[1].result["parentHash"]?.string, b1.hash.description)
        // The header as eth_getBlockByNumber shows it, without the body's fields.
        let block = try XCTUnwrap(t.result("eth_getBlockByNumber", #"["0x1",false]"#).object)
        let header = try XCTUnwrap(heads[0].result.object)
        for key in ["transactions", "uncles", "size", "totalDifficulty", "seal"] { XCTAssertNil(header[key], key) }
        for (key, value) in header { XCTAssertEqual(block[key], value, key) }
        XCTAssertNotNil(header["logsBloom"])
        XCTAssertNotNil(header["baseFeePerGas"])
    }

    func testLogsFollowAddressAndTopicCriteriaOneNotificationPerLog() throws {
        let all = SubscriptionTestSession(1), byBob = SubscriptionTestSession(2), elsewhere = SubscriptionTestSession(3)
        let allID = try subscribe(all, #"["logs"]"#)
        let bobTopic = H256(word: UInt256(bigEndian: [UInt8](repeating: 0, count: 12) + t.bob.address.bytes) ?? .zero)
        _ = try subscribe(byBob, #"["logs",{"address":"\#(t.counter.address)","topics":["\#(CounterContract.incremented)","\#(bobTopic)"]}]"#)
        _ = try subscribe(elsewhere, #"["logs",{"address":["0x00000000000000000000000000000000000000b0"]}]"#)
        let block = try t.extend([try t.increment(2, from: t.alice, nonce: 0), try t.increment(3, from: t.bob, nonce: 0)])
        let logs = all.take()
        XCTAssertEqual(logs.count, 2)
        XCTAssertEqual(logs.map(\.subscription), [allID, allID])
        XCTAssertEqual(logs.map { $0.result["logIndex"] }, ["0x0", "0x1"])
        XCTAssertEqual(logs.map { $0.result["transactionHash"]?.string }, block.transactions.map { $0.hash.description })
        XCTAssertEqual(logs[0].result["removed"], false)
        XCTAssertEqual(logs[0].result["blockHash"]?.string, block.hash.description)
        // The same log as eth_getLogs answers it.
        let stored = try XCTUnwrap(t.result("eth_getLogs", #"[{"blockHash":"\#(block.hash)"}]"#).array)
        XCTAssertEqual(logs.map(\.result), stored)
        let bobs = byBob.take()
        XCTAssertEqual(bobs.count, 1)
        XCTAssertEqual(bobs.first?.result["data"]?.string, UInt256(5).bigEndianBytes.hexPrefixed)
        XCTAssertTrue(elsewhere.take().isEmpty)
    }

    func testLogsSubscriptionKeepsToItsBlockRange() throws {
        let session = SubscriptionTestSession(1)
        _ = try subscribe(session, #"["logs",{"fromBlock":"0x2","toBlock":"0x2"}]"#)
        try t.extend([try t.increment(1, from: t.alice, nonce: 0)])
        try t.extend([try t.increment(1, from: t.alice, nonce: 1)])
        try t.extend([try t.increment(1, from: t.alice, nonce: 2)])
        XCTAssertEqual(session.take().map { $0.result["blockNumber"] }, ["0x2"])
    }

    func testPendingTransactionsAsHashesOrFullTransactions() throws {
        let hashes = SubscriptionTestSession(1), full = SubscriptionTestSession(2)
        _ = try subscribe(hashes, #"["newPendingTransactions"]"#)
        _ = try subscribe(full, #"["newPendingTransactions",true]"#)
        let tx = try t.increment(1, from: t.alice, nonce: 0)
        XCTAssertEqual(try t.result("eth_sendRawTransaction", #"["\#(tx.encoded.hexPrefixed)"]"#).string, tx.hash.description)
        XCTAssertEqual(hashes.take().map(\.result), [.string(tx.hash.description)])
        let sent = try XCTUnwrap(full.take().first?.result)
        XCTAssertEqual(sent["hash"]?.string, tx.hash.description)
        XCTAssertEqual(sent["from"]?.string, t.alice.address.checksummed)
        XCTAssertEqual(sent["blockHash"], .null)
        // New heads do not reach pending-transaction subscribers.
        try t.extend()
        XCTAssertTrue(hashes.take().isEmpty)
    }

    func testUnsubscribeEndsOnlyTheCallersOwnSubscription() throws {
        let mine = SubscriptionTestSession(1), other = SubscriptionTestSession(2)
        let id = try subscribe(mine, #"["newHeads"]"#)
        XCTAssertEqual(try t.error("eth_unsubscribe", #"["\#(id)"]"#, session: other).message, "subscription not found")
        XCTAssertEqual(try t.result("eth_unsubscribe", #"["\#(id)"]"#, session: mine), true)
        let again = try t.error("eth_unsubscribe", #"["\#(id)"]"#, session: mine)
        XCTAssertEqual(again.code, -32000)
        XCTAssertEqual(again.message, "subscription not found")
        try t.extend()
        XCTAssertTrue(mine.take().isEmpty)
    }

    func testClosingTheConnectionEndsItsSubscriptions() throws {
        let session = SubscriptionTestSession(1), staying = SubscriptionTestSession(2)
        _ = try subscribe(session, #"["newHeads"]"#)
        _ = try subscribe(session, #"["logs"]"#)
        _ = try subscribe(staying, #"["newHeads"]"#)
        session.close()
        try t.extend([try t.increment(1, from: t.alice, nonce: 0)])
        XCTAssertTrue(session.raw.isEmpty)
        XCTAssertEqual(staying.take().count, 1)
        // A session that has already ended is told at once: its new subscription ends with it.
        let ended = SubscriptionTestSession(3)
        ended.close()
        _ = try subscribe(ended, #"["newHeads"]"#)
        try t.extend()
        XCTAssertEqual(staying.take().count, 1)
        XCTAssertTrue(ended.raw.isEmpty)
    }

    func testSubscriptionsAreBoundedPerConnectionAndInTotal() throws {
        t = try SubscriptionTestChain(maxPerSession: 2, maxTotal: 3)
        let a = SubscriptionTestSession(1), b = SubscriptionTestSession(2)
        _ = try subscribe(a, #"["newHeads"]"#)
        let second = try subscribe(a, #"["newHeads"]"#)
        XCTAssertEqual(try t.error("eth_subscribe", #"["newHeads"]"#, session: a).message, "too many subscriptions on this connection (the limit is 2)")
        _ = try subscribe(b, #"["newHeads"]"#)
        let full = try t.error("eth_subscribe", #"["newHeads"]"#, session: b)
        XCTAssertEqual(full.code, -32000)
        XCTAssertEqual(full.message, "too many subscriptions on this node (the limit is 3)")
        // Unsubscribing frees a place.
        XCTAssertEqual(try t.result("eth_unsubscribe", #"["\#(second)"]"#, session: a), true)
        _ = try subscribe(b, #"["newHeads"]"#)
    }

    func testMalformedOversizedAndOutOfRangeSubscriptionsAreRefusedClearly() throws {
        let session = SubscriptionTestSession(1)
        let many = "[" + Array(repeating: "\"0x00000000000000000000000000000000000000b0\"", count: 1001).joined(separator: ",") + "]"
        let longName = String(repeating: "x", count: 100_000)
        for (params, code, message) in [
            ("[]", -32602, "invalid params: the first parameter must be the subscription name"),
            ("[7]", -32602, "invalid params: the first parameter must be the subscription name"),
            (#"[{"name":"newHeads"}]"#, -32602, "invalid params: the first parameter must be the subscription name"),
            (#"["newBlocks"]"#, -32601, #"no "newBlocks" subscription in eth namespace"#),
            (#"["\#(longName)"]"#, -32601, #"no "\#(longName.prefix(64))" subscription in eth namespace"#),
            (#"["newHeads",{}]"#, -32602, "invalid params: expected 1 parameters, got 2"),
            (#"["logs","everything"]"#, -32602, "invalid params: filter must be an object"),
            (#"["logs",{},{}]"#, -32602, "invalid params: expected 1 to 2 parameters, got 3"),
            (#"["logs",{"address":"0x12"}]"#, -32602, nil),
            (#"["logs",{"address":\#(many)}]"#, -32602, "invalid params: address has 1001 entries; the limit is 1000"),
            (#"["logs",{"topics":[null,null,null,null,null]}]"#, -32602, "invalid params: topics must be a list of at most 4 entries"),
            (#"["logs",{"topics":["0x1234"]}]"#, -32602, nil),
            (#"["logs",{"fromBlock":"pending"}]"#, -32602, "invalid params: pending logs are not supported"),
            (#"["logs",{"fromBlock":"0x5","toBlock":"0x2"}]"#, -32602, "invalid params: invalid block range params"),
            (#"["logs",{"fromBlock":"latest","toBlock":"0x2"}]"#, -32602, "invalid params: invalid block range params"),
            (#"["logs",{"fromBlock":"0x1ffffffffffffffffffff"}]"#, -32602, nil),
            (#"["logs",{"blockHash":"0x\#(String(repeating: "00", count: 32))","fromBlock":"0x1"}]"#, -32602,
             "invalid params: can't specify fromBlock/toBlock with blockHash"),
            (#"["newPendingTransactions","yes"]"#, -32602, nil),
        ] as [(String, Int64, String?)] {
            let e = try t.error("eth_subscribe", params, session: session)
            XCTAssertEqual(e.code, code, String(params.prefix(200)))
            if let message { XCTAssertEqual(e.message, message, String(params.prefix(200))) }
        }
        for params in ["[]", "[1]", #"["0x1","0x2"]"#, "[null]"] {
            XCTAssertEqual(try t.error("eth_unsubscribe", params, session: session).code, -32602, params)
        }
        XCTAssertEqual(try t.error("eth_unsubscribe", #"["\#(longName)"]"#, session: session).message, "subscription not found")
        // Nothing was installed by the refusals.
        try t.extend()
        XCTAssertTrue(session.raw.isEmpty)
    }
}
