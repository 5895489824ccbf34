import AnkrChain
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrTestSupport
import XCTest

/// The polling filters: what each kind gathers between polls, the log filter's range query, ids like
/// geth's, the idle expiry, the bounds, and clear refusals of malformed input.
final class FilterTests: XCTestCase {
    var t: SubscriptionTestChain!

    override func setUpWithError() throws { t = try SubscriptionTestChain() }

    func install(_ method: String, _ params: String = "[]") throws -> String {
        try XCTUnwrap(t.result(method, params).string)
    }

    func changes(_ id: String) throws -> [JSON] {
        try XCTUnwrap(t.result("eth_getFilterChanges", #"["\#(id)"]"#).array)
    }

    func testBlockFilterGathersNewHeadHashesUntilPolled() throws {
        let id = try install("eth_newBlockFilter")
        XCTAssertNotNil(id.wholeMatch(of: /0x[1-9a-f][0-9a-f]{0,31}/), id)
        XCTAssertNotEqual(id, try install("eth_newBlockFilter"))
        XCTAssertEqual(try changes(id), [])
        let b1 = try t.extend(), b2 = try t.extend()
        XCTAssertEqual(try changes(id), [.string(b1.hash.description), .string(b2.hash.description)])
        XCTAssertEqual(try changes(id), [])
    }

    func testLogFilterFollowsAContractEventAndQueriesItsRange() throws {
        try t.extend([try t.increment(1, from: t.alice, nonce: 0)])
        let id = try install("eth_newFilter", #"[{"address":"\#(t.counter.address)","topics":["\#(CounterContract.incremented)"]}]"#)
        let since = try install("eth_newFilter", #"[{"fromBlock":"0x1","address":"\#(t.counter.address)"}]"#)
        XCTAssertEqual(try changes(id), [])
        let b2 = try t.extend([try t.increment(2, from: t.alice, nonce: 1), try t.increment(3, from: t.bob, nonce: 0)])
        let logs = try changes(id)
        XCTAssertEqual(logs.count, 2)
        XCTAssertEqual(logs, try XCTUnwrap(t.result("eth_getLogs", #"[{"blockHash":"\#(b2.hash)"}]"#).array))
        XCTAssertEqual(logs.map { $0["data"]?.string }, [UInt256(3), UInt256(6)].map { $0.bigEndianBytes.hexPrefixed })
        XCTAssertEqual(try changes(id), [])
        // eth_getFilterLogs runs the filter's own range over stored blocks: from 0x1 to the head.
        XCTAssertEqual(try XCTUnwrap(t.result("eth_getFilterLogs", #"["\#(since)"]"#).array).map { $0["blockNumber"] }, ["0x1", "0x2", "0x2"])
        // Only log filters have logs.
        let blocks = try install("eth_newBlockFilter")
        XCTAssertEqual(try t.error("eth_getFilterLogs", #"["\#(blocks)"]"#).message, "filter not found")
    }

    /// geth's rule: a filter with more topic positions than a log has misses it, wildcards or not; a null member is absent.
    func testTopicPositionsPastALogsTopicsDoNotMatchAndNullMembersAreAbsent() throws {
        let b1 = try t.extend([try t.increment(1, from: t.alice, nonce: 0)])
        let two = #"["\#(CounterContract.incremented)",null]"#, three = #"["\#(CounterContract.incremented)",null,null]"#
        XCTAssertEqual(try XCTUnwrap(t.result("eth_getLogs", #"[{"blockHash":"\#(b1.hash)","topics":\#(two)}]"#).array).count, 1)
        XCTAssertEqual(try XCTUnwrap(t.result("eth_getLogs", #"[{"blockHash":"\#(b1.hash)","topics":\#(three)}]"#).array).count, 0)
        XCTAssertEqual(try XCTUnwrap(t.result("eth_getLogs", #"[{"blockHash":null,"fromBlock":"0x1","toBlock":"0x1","address":null}]"#).array).count, 1)
    }

    func testLogFilterSeesLogsAReorganizationRemoves() throws {
        let id = try install("eth_newFilter", #"[{}]"#)
        let genesis = t.chain.head
        let a1 = try t.extend([try t.increment(1, from: t.alice, nonce: 0)], coinbase: 0xa)
        _ = try changes(id)
        let b1 = try t.block(on: genesis, coinbase: 0xb)
        try t.chain.importBlock(b1)
        try t.chain.importBlock(try t.block(on: b1.header, [try t.increment(5, from: t.bob, nonce: 0)], coinbase: 0xb))
        let after = try changes(id)
        XCTAssertEqual(after.map { $0["removed"] }, [true, false])
        XCTAssertEqual(after.first?["blockHash"]?.string, a1.hash.description)
    }

    func testPendingTransactionFilterGathersHashesOrFullTransactions() throws {
        let hashes = try install("eth_newPendingTransactionFilter")
        let full = try install("eth_newPendingTransactionFilter", "[true]")
        let tx = try t.increment(1, from: t.alice, nonce: 0)
        _ = try t.submit(tx)
        XCTAssertEqual(try changes(hashes), [.string(tx.hash.description)])
        let sent = try changes(full)
        XCTAssertEqual(sent.count, 1)
        XCTAssertEqual(sent.first?["hash"]?.string, tx.hash.description)
        XCTAssertEqual(sent.first?["nonce"], "0x0")
        try t.extend()
        XCTAssertEqual(try changes(hashes), [])
    }

    func testIdleFiltersExpireAfterTheTimeoutAndPollingKeepsThemAlive() throws {
        let clock = FilterTestClock()
        t = try SubscriptionTestChain(filterTimeout: .seconds(300), now: { clock.now })
        let polled = try install("eth_newBlockFilter")
        let idle = try install("eth_newBlockFilter")
        let logs = try install("eth_newFilter", "[{}]")
        clock.advance(.seconds(200))
        _ = try changes(polled)
        // eth_getFilterLogs does not count as a poll (as in geth).
        _ = try t.result("eth_getFilterLogs", #"["\#(logs)"]"#)
        clock.advance(.seconds(200))
        XCTAssertEqual(try changes(polled), [])
        for id in [idle, logs] {
            let e = try t.error("eth_getFilterChanges", #"["\#(id)"]"#)
            XCTAssertEqual(e.code, -32000)
            XCTAssertEqual(e.message, "filter not found")
        }
        XCTAssertEqual(try t.result("eth_uninstallFilter", #"["\#(idle)"]"#), false)
    }

    func testUninstallEndsAFilterOnce() throws {
        let id = try install("eth_newBlockFilter")
        XCTAssertEqual(try t.result("eth_uninstallFilter", #"["\#(id)"]"#), true)
        XCTAssertEqual(try t.result("eth_uninstallFilter", #"["\#(id)"]"#), false)
        XCTAssertEqual(try t.error("eth_getFilterChanges", #"["\#(id)"]"#).message, "filter not found")
    }

    func testAFilterThatGathersPastItsBoundIsUninstalled() throws {
        t = try SubscriptionTestChain(maxBufferedChanges: 2)
        let slow = try install("eth_newBlockFilter")
        let quick = try install("eth_newBlockFilter")
        try t.extend()
        try t.extend()
        XCTAssertEqual(try changes(quick).count, 2)
        try t.extend()
        XCTAssertEqual(try t.error("eth_getFilterChanges", #"["\#(slow)"]"#).message, "filter not found")
        XCTAssertEqual(try changes(quick).count, 1)
    }

    func testWhenAllFiltersTogetherHoldTooMuchTheLeastPolledIsUninstalled() throws {
        t = try SubscriptionTestChain(maxTotalBufferedChanges: 3)
        let idle = try install("eth_newBlockFilter")
        let polled = try install("eth_newBlockFilter")
        for _ in 0..<2 {
            try t.extend()
            XCTAssertEqual(try changes(polled).count, 1)
        }
        // The idle filter holds 2 and the polled one 1: the total of 3 fits; one more block does not.
        try t.extend()
        XCTAssertEqual(try t.error("eth_getFilterChanges", #"["\#(idle)"]"#).message, "filter not found")
        XCTAssertEqual(try changes(polled).count, 1)
    }

    func testFiltersAreBoundedInNumber() throws {
        t = try SubscriptionTestChain(maxFilters: 2)
        let first = try install("eth_newBlockFilter")
        _ = try install("eth_newPendingTransactionFilter")
        let e = try t.error("eth_newFilter", "[{}]")
        XCTAssertEqual(e.code, -32000)
        XCTAssertEqual(e.message, "too many filters installed (the limit is 2); uninstall some or let them expire")
        XCTAssertEqual(try t.result("eth_uninstallFilter", #"["\#(first)"]"#), true)
        _ = try install("eth_newFilter", "[{}]")
    }

    func testMalformedOversizedAndOutOfRangeFilterCallsAreRefusedClearly() throws {
        let many = "[" + Array(repeating: "\"0x\(String(repeating: "11", count: 32))\"", count: 1001).joined(separator: ",") + "]"
        for (method, params, code, message) in [
            ("eth_newFilter", "[]", -32602, "invalid params: expected 1 parameters, got 0"),
            ("eth_newFilter", #"["all"]"#, -32602, "invalid params: filter must be an object"),
            ("eth_newFilter", #"[{"address":7}]"#, -32602, nil),
            ("eth_newFilter", #"[{"topics":"0x00"}]"#, -32602, "invalid params: topics must be a list of at most 4 entries"),
            ("eth_newFilter", #"[{"topics":[\#(many)]}]"#, -32602, "invalid params: a topic position has 1001 alternatives; the limit is 1000"),
            ("eth_newFilter", #"[{"toBlock":"pending"}]"#, -32602, "invalid params: pending logs are not supported"),
            ("eth_newFilter", #"[{"fromBlock":"0x9","toBlock":"0x1"}]"#, -32602, "invalid params: invalid block range params"),
            ("eth_newFilter", #"[{"fromBlock":"finalized"}]"#, -32602, "invalid params: invalid block range params"),
            ("eth_newFilter", #"[{"fromBlock":"0x10000000000000000"}]"#, -32602, nil),
            ("eth_newFilter", #"[{"fromBlock":-1}]"#, -32602, nil),
            ("eth_newBlockFilter", "[1]", -32602, "invalid params: expected 0 parameters, got 1"),
            ("eth_newPendingTransactionFilter", #"["true"]"#, -32602, nil),
            ("eth_newPendingTransactionFilter", "[true,true]", -32602, nil),
            ("eth_getFilterChanges", "[]", -32602, nil),
            ("eth_getFilterChanges", "[1]", -32602, nil),
            ("eth_getFilterChanges", #"["0x1"]"#, -32000, "filter not found"),
            ("eth_getFilterChanges", #"["\#(String(repeating: "f", count: 100_000))"]"#, -32000, "filter not found"),
            ("eth_getFilterLogs", "[{}]", -32602, nil),
            ("eth_getFilterLogs", #"["0x1"]"#, -32000, "filter not found"),
            ("eth_uninstallFilter", "[null]", -32602, nil),
        ] as [(String, String, Int64, String?)] {
            let e = try t.error(method, params)
            XCTAssertEqual(e.code, code, "\(method) \(params.prefix(100))")
            if let message { XCTAssertEqual(e.message, message, "\(method) \(params.prefix(100))") }
        }
    }

    func testGetFilterLogsOfABlockHashFilterReadsThatBlockOnly() throws {
        let b1 = try t.extend([try t.increment(1, from: t.alice, nonce: 0)])
        try t.extend([try t.increment(1, from: t.alice, nonce: 1)])
        let id = try install("eth_newFilter", #"[{"blockHash":"\#(b1.hash)"}]"#)
        XCTAssertEqual(try XCTUnwrap(t.result("eth_getFilterLogs", #"["\#(id)"]"#).array).map { $0["blockHash"]?.string }, [b1.hash.description])
        let unknown = try install("eth_newFilter", #"[{"blockHash":"0x\#(String(repeating: "ab", count: 32))"}]"#)
        XCTAssertEqual(try t.error("eth_getFilterLogs", #"["\#(unknown)"]"#).message, "unknown block")
    }
}
