import AnkrChain
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import XCTest

/// `debug_trace*` and `eth_createAccessList` over a real chain: a traced transaction sees the state the
/// block's earlier transactions left, answers have geth's shapes, options change what is recorded, and
/// every bad TraceConfig, missing block or runaway call ends in a clear error.
final class DebugTraceTests: XCTestCase {
    var t: DebugTestChain!
    let alice = DebugTestChain.alice.address

    override func setUpWithError() throws {
        t = try DebugTestChain()
    }

    func result(_ method: String, _ params: String, on chain: DebugTestChain? = nil) throws -> JSON {
        let reply = try (chain ?? t).rpc(method, params)
        XCTAssertNil(reply["error"], "\(method) \(params): \(reply)")
        return try XCTUnwrap(reply["result"], "\(method) \(params)")
    }

    func error(_ method: String, _ params: String, on chain: DebugTestChain? = nil) throws -> (code: Int64, message: String) {
        let e = try XCTUnwrap(try (chain ?? t).rpc(method, params)["error"], "\(method) \(params) should fail")
        return (try XCTUnwrap(e["code"]?.int), try XCTUnwrap(e["message"]?.string))
    }

    /// The gas each transaction of block `number` used, from its receipts.
    func gasUsed(block number: UInt64) throws -> [Int64] {
        let header = try XCTUnwrap(t.chain.header(number: number))
        let receipts = try XCTUnwrap(t.chain.receipts(blockHash: header.hash))
        return receipts.enumerated().map { i, r in Int64(r.cumulativeGasUsed - (i == 0 ? 0 : receipts[i - 1].cumulativeGasUsed)) }
    }

    func ops(_ trace: JSON) -> [String] { (trace["structLogs"]?.array ?? []).compactMap { $0["op"]?.string } }

    // MARK: Transactions and blocks

    func testTransactionTraceIsGethsOpcodeLog() throws {
        let tx = t.block1[0]
        let trace = try result("debug_traceTransaction", #"["\#(tx.hash)"]"#)
        XCTAssertEqual(ops(trace), ["PUSH1", "CALLDATALOAD", "PUSH1", "SSTORE", "STOP"])
        XCTAssertEqual(trace["gas"]?.int, try gasUsed(block: 1)[0])
        XCTAssertEqual(trace["failed"], false)
        XCTAssertEqual(trace["returnValue"], "0x")
        let logs = try XCTUnwrap(trace["structLogs"]?.array)
        // 200,000 bought less 21,000 + 31 zero bytes × 4 + 1 non-zero byte × 16 of intrinsic gas.
        XCTAssertEqual(logs[0]["gas"]?.int, 200_000 - 21_140)
        XCTAssertEqual(logs[0]["depth"]?.int, 1)
        XCTAssertEqual(logs[3]["stack"], ["0x5", "0x1"])
        // A cold slot set from zero: 2,100 + 20,000.
        XCTAssertEqual(logs[3]["gasCost"]?.int, 22_100)
        XCTAssertEqual(logs[3]["storage"], [UInt256.one.bigEndianBytes.hexPrefixed: .string(UInt256(5).bigEndianBytes.hexPrefixed)])
        XCTAssertNil(logs[2]["storage"])
    }

    func testTracingALaterTransactionReplaysTheEarlierOnesFirst() throws {
        let trace = try result("debug_traceTransaction", #"["\#(t.block1[1].hash)"]"#)
        let sstore = try XCTUnwrap(trace["structLogs"]?.array?.first { $0["op"] == "SSTORE" })
        XCTAssertEqual(sstore["depth"]?.int, 2)
        // Slot 1 holds the 5 the first transaction stored: clearing it costs 2,100 + 2,900 and refunds 4,800
        // (on an unreplayed state it would be a 2,200 no-op).
        XCTAssertEqual(sstore["gasCost"]?.int, 5_000)
        XCTAssertEqual(trace["gas"]?.int, try gasUsed(block: 1)[1])
    }

    func testCallTracerShowsTheCallTreeWithTheTransactionsGas() throws {
        let gas = try gasUsed(block: 1)
        let top = try result("debug_traceTransaction", #"["\#(t.block1[1].hash)",{"tracer":"callTracer"}]"#)
        XCTAssertEqual(top["type"], "CALL")
        XCTAssertEqual(top["from"]?.string, alice.bytes.hexPrefixed)
        XCTAssertEqual(top["to"]?.string, DebugTestChain.caller.bytes.hexPrefixed)
        XCTAssertEqual(top["gas"], RPCFormat.q(UInt64(200_000)))
        XCTAssertEqual(top["gasUsed"], RPCFormat.q(UInt64(gas[1])))
        XCTAssertEqual(top["value"], "0x0")
        let inner = try XCTUnwrap(top["calls"]?.array)
        XCTAssertEqual(inner.count, 1)
        XCTAssertEqual(inner[0]["to"]?.string, DebugTestChain.store.bytes.hexPrefixed)
        XCTAssertEqual(inner[0]["gas"], "0xffff")
        let only = try result("debug_traceTransaction", #"["\#(t.block1[1].hash)",{"tracer":"callTracer","tracerConfig":{"onlyTopCall":true}}]"#)
        XCTAssertNil(only["calls"])
        let reverted = try result("debug_traceTransaction", #"["\#(t.block1[2].hash)",{"tracer":"callTracer"}]"#)
        XCTAssertEqual(reverted["error"], "execution reverted")
    }

    func testBlockTracesPairEveryTransactionWithItsTrace() throws {
        let header = try XCTUnwrap(t.chain.header(number: 1))
        let byNumber = try XCTUnwrap(result("debug_traceBlockByNumber", #"["0x1"]"#).array)
        XCTAssertEqual(byNumber.map { $0["txHash"]?.string }, t.block1.map { $0.hash.description })
        XCTAssertEqual(byNumber.map { $0["result"]?["gas"]?.int }, try gasUsed(block: 1).map { $0 })
        XCTAssertEqual(byNumber.map { $0["result"]?["failed"] }, [false, false, true])
        XCTAssertEqual(try result("debug_traceBlockByHash", #"["\#(header.hash)"]"#), .array(byNumber))
        XCTAssertEqual(try result("debug_traceTransaction", #"["\#(t.block1[2].hash)"]"#), byNumber[2]["result"])
        let calls = try XCTUnwrap(result("debug_traceBlockByNumber", #"["0x1",{"tracer":"callTracer"}]"#).array)
        XCTAssertEqual(calls.map { $0["result"]?["type"] }, ["CALL", "CALL", "CALL"])
        // A plain transfer runs no code: no steps.
        let transfer = try XCTUnwrap(result("debug_traceBlockByNumber", #"["latest"]"#).array)
        XCTAssertEqual(transfer.count, 1)
        XCTAssertEqual(transfer[0]["result"]?["structLogs"], [])
        XCTAssertEqual(transfer[0]["result"]?["gas"]?.int, 21_000)
    }

    func testOpcodeLoggerOptionsChangeWhatEachStepRecords() throws {
        let hash = t.block1[0].hash
        let bare = try XCTUnwrap(result("debug_traceTransaction", #"["\#(hash)",{"disableStack":true,"disableStorage":true}]"#)["structLogs"]?.array)
        XCTAssertTrue(bare.allSatisfy { $0["stack"] == nil && $0["storage"] == nil && $0["memory"] == nil && $0["returnData"] == nil })
        let full = try XCTUnwrap(result("debug_traceTransaction", #"["\#(hash)",{"enableMemory":true,"enableReturnData":true}]"#)["structLogs"]?.array)
        XCTAssertTrue(full.allSatisfy { $0["memory"] != nil && $0["returnData"] != nil && $0["stack"] != nil })
        let limited = try result("debug_traceTransaction", #"["\#(hash)",{"limit":2}]"#)
        XCTAssertEqual(ops(limited), ["PUSH1", "CALLDATALOAD"])
        // A named tracer ignores the opcode logger's options; unknown members are ignored, as geth's decoder does.
        XCTAssertEqual(try result("debug_traceTransaction", #"["\#(hash)",{"tracer":"callTracer","limit":1,"reexec":128}]"#)["type"], "CALL")
        XCTAssertEqual(try result("debug_traceTransaction", #"["\#(hash)",{"tracer":"","timeout":"10s"}]"#)["gas"]?.int, try gasUsed(block: 1)[0])
    }

    // MARK: Calls

    func testTraceCallRunsLikeEthCall() throws {
        let data = UInt256(9).bigEndianBytes.hexPrefixed
        let trace = try result("debug_traceCall", #"[{"from":"\#(alice)","to":"\#(DebugTestChain.store)","data":"\#(data)"},"latest"]"#)
        XCTAssertEqual(ops(trace), ["PUSH1", "CALLDATALOAD", "PUSH1", "SSTORE", "STOP"])
        XCTAssertEqual(trace["failed"], false)
        let top = try result("debug_traceCall", #"[{"to":"\#(DebugTestChain.caller)"},"0x1",{"tracer":"callTracer"}]"#)
        XCTAssertEqual(top["gas"], RPCFormat.q(UInt64(30_000_000)))
        XCTAssertEqual(top["calls"]?.array?.count, 1)
        // Out of gas in a loop, with the log limited: the call failed, ten steps kept.
        let loop = try result("debug_traceCall", #"[{"to":"\#(DebugTestChain.looper)","gas":"0x6000"},"latest",{"limit":10}]"#)
        XCTAssertEqual(loop["failed"], true)
        XCTAssertEqual(loop["gas"]?.int, 0x6000)
        XCTAssertEqual(ops(loop).count, 10)
    }

    func testARunawayTraceStopsAtItsTimeout() throws {
        let call = #"{"to":"\#(DebugTestChain.looper)"}"#
        XCTAssertEqual(try error("debug_traceCall", #"[\#(call),"latest",{"tracer":"callTracer","timeout":"50ms"}]"#).message,
                       "execution aborted (timeout = 50ms)")
        // The node's limit caps what the caller asks for.
        var limits = DebugTestChain.limits
        limits.evmTimeout = .milliseconds(40)
        let strict = try DebugTestChain(limits: limits)
        XCTAssertEqual(try error("debug_traceCall", #"[\#(call),"latest",{"tracer":"callTracer","timeout":"1h"}]"#, on: strict).message,
                       "execution aborted (timeout = 40ms)")
    }

    func testReplayingABlockStopsAtTheTimeoutToo() throws {
        // A block whose one transaction spins through 3M gas: replaying it takes far longer than 1 ms.
        let spin = try Transaction.dynamicFee(chainID: DebugTestChain.chainID, nonce: 4, maxPriorityFeePerGas: .one,
                                              maxFeePerGas: UInt256(10_000_000_000), gasLimit: 3_000_000, to: DebugTestChain.looper,
                                              value: .zero).signed(with: DebugTestChain.alice)
        try t.seal([spin])
        XCTAssertEqual(try XCTUnwrap(t.chain.receipts(blockHash: t.chain.head.hash)).first?.cumulativeGasUsed, 3_000_000)
        XCTAssertEqual(try error("debug_traceTransaction", #"["\#(spin.hash)",{"tracer":"callTracer","timeout":"1ms"}]"#).message,
                       "execution aborted (timeout = 1ms)")
        XCTAssertEqual(try error("debug_traceBlockByNumber", #"["latest",{"tracer":"callTracer","timeout":"1ms"}]"#).message,
                       "execution aborted (timeout = 1ms)")
        XCTAssertEqual(try result("debug_traceTransaction", #"["\#(spin.hash)",{"tracer":"callTracer"}]"#)["error"], "out of gas")
    }

    func testTracesPastTheByteBudgetAreRefused() throws {
        let small = try DebugTestChain(maxTraceBytes: 1_500)
        // One transaction's opcode log fits; the whole block's does not, and the opcode logger itself stops a bigger one.
        XCTAssertNotNil(try result("debug_traceTransaction", #"["\#(t.block1[0].hash)",{"disableStack":true}]"#, on: small)["structLogs"])
        XCTAssertEqual(try error("debug_traceBlockByNumber", #"["0x1"]"#, on: small).code, -32000)
        XCTAssertEqual(try error("debug_traceCall", #"[{"to":"\#(DebugTestChain.looper)","gas":"0x10000"},"latest"]"#, on: small).code, -32000)
    }

    // MARK: Refusals

    func testBadTraceConfigsAreInvalidParams() throws {
        let hash = t.block1[0].hash
        for config in [#""callTracer""#, #"[]"#, #"{"tracer":"prestateTracer"}"#, #"{"tracer":"{result: function() {}}"}"#, #"{"tracer":5}"#,
                       #"{"timeout":5}"#, #"{"timeout":"5"}"#, #"{"timeout":"-1s"}"#, #"{"timeout":"0s"}"#, #"{"timeout":"99999999999h"}"#,
                       #"{"timeout":"\#(String(repeating: "1", count: 5_000))s"}"#, #"{"enableMemory":"yes"}"#, #"{"disableStack":1}"#,
                       #"{"limit":-1}"#, #"{"limit":1.5}"#, #"{"limit":"10"}"#, #"{"tracer":"callTracer","tracerConfig":[]}"#,
                       #"{"tracer":"callTracer","tracerConfig":{"onlyTopCall":1}}"#, #"{"tracer":"callTracer","tracerConfig":{"withLog":"true"}}"#] {
            XCTAssertEqual(try error("debug_traceTransaction", #"["\#(hash)",\#(config)]"#).code, -32602, config)
            XCTAssertEqual(try error("debug_traceBlockByNumber", #"["0x1",\#(config)]"#).code, -32602, config)
        }
        let call = #"{"to":"\#(DebugTestChain.store)"}"#
        for config in [#"{"stateOverrides":{}}"#, #"{"blockOverrides":{"number":"0x1"}}"#] {
            XCTAssertEqual(try error("debug_traceCall", #"[\#(call),"latest",\#(config)]"#).code, -32602, config)
        }
    }

    func testMissingTransactionsBlocksAndMalformedParamsAreClearErrors() throws {
        let missing = "0x" + String(repeating: "ab", count: 32)
        XCTAssertEqual(try error("debug_traceTransaction", #"["\#(missing)"]"#).message, "transaction \(missing) not found")
        XCTAssertEqual(try error("debug_traceBlockByNumber", #"["0x0"]"#).message, "genesis is not traceable")
        XCTAssertEqual(try error("debug_traceBlockByNumber", #"["earliest"]"#).message, "genesis is not traceable")
        XCTAssertEqual(try error("debug_traceBlockByNumber", #"["0xffffffffffffffff"]"#).code, -32000)
        XCTAssertEqual(try error("debug_traceBlockByHash", #"["\#(missing)"]"#).message, "block \(missing) not found")
        XCTAssertEqual(try error("debug_traceCall", #"[{"to":"\#(DebugTestChain.store)"},"0x99"]"#).code, -32000)
        for (method, params) in [
            ("debug_traceTransaction", "[]"), ("debug_traceTransaction", #"["0x12"]"#), ("debug_traceTransaction", #"["\#(missing)",{},3]"#),
            ("debug_traceBlockByNumber", "[]"), ("debug_traceBlockByNumber", #"["0x1x"]"#), ("debug_traceBlockByNumber", #"["0x10000000000000000"]"#),
            ("debug_traceBlockByHash", #"["0x1"]"#), ("debug_traceBlockByHash", #"[null]"#),
            ("debug_traceCall", "[]"), ("debug_traceCall", #"["to"]"#), ("debug_traceCall", #"[{"to":"0x1234"}]"#),
            ("debug_traceCall", #"[{"to":"\#(DebugTestChain.store)","data":"0xzz"}]"#), ("debug_traceCall", #"[{},"latest",{},1]"#),
        ] {
            XCTAssertEqual(try error(method, params).code, -32602, "\(method) \(params)")
        }
        // A call that cannot start: its gas does not cover the intrinsic cost.
        XCTAssertEqual(try error("debug_traceCall", #"[{"to":"\#(DebugTestChain.store)","gas":"0x1"}]"#).code, -32000)
    }

    // MARK: Access lists

    func testAccessListsListWhatTheCallTouches() throws {
        let listed = try result("eth_createAccessList", #"[{"from":"\#(alice)","to":"\#(DebugTestChain.caller)"}]"#)
        XCTAssertEqual(listed["accessList"], [["address": .string(DebugTestChain.store.checksummed),
                                               "storageKeys": [.string(H256(word: .one).description)]]])
        XCTAssertNil(listed["error"])
        // Intrinsic 21,000 + 2,400 for the account + 1,900 for the slot, then the call itself.
        let used = try XCTUnwrap(listed["gasUsed"]?.string.flatMap { UInt64($0.dropFirst(2), radix: 16) })
        XCTAssertGreaterThan(used, 25_300)
        let probed = try result("eth_createAccessList", #"[{"to":"\#(DebugTestChain.prober)"},"latest"]"#)
        XCTAssertEqual(probed["accessList"], [["address": .string(DebugTestChain.probed.checksummed), "storageKeys": []]])
        let reverted = try result("eth_createAccessList", #"[{"to":"\#(DebugTestChain.reverter)"}]"#)
        XCTAssertEqual(reverted["accessList"], [])
        XCTAssertEqual(reverted["error"], "execution reverted")
        // The recipient's own slots are listed; a bare sender is dropped from a caller's list, slots of it are kept.
        let own = try result("eth_createAccessList", #"[{"from":"\#(alice)","to":"\#(DebugTestChain.store)","accessList":[{"address":"\#(alice)","storageKeys":[]}]}]"#)
        XCTAssertEqual(own["accessList"], [["address": .string(DebugTestChain.store.checksummed), "storageKeys": [.string(H256(word: .one).description)]]])
    }

    func testMalformedAccessListRequestsAreClearErrors() throws {
        for params in ["[]", #"["to"]"#, #"[{"to":"0x1234"}]"#, #"[{"to":"\#(DebugTestChain.store)","accessList":"all"}]"#,
                       #"[{"to":"\#(DebugTestChain.store)"},"0x1z"]"#, #"[{},"latest","extra"]"#] {
            XCTAssertEqual(try error("eth_createAccessList", params).code, -32602, params)
        }
        XCTAssertEqual(try error("eth_createAccessList", #"[{"to":"\#(DebugTestChain.store)"},"0x99"]"#).code, -32000)
        XCTAssertEqual(try error("eth_createAccessList", #"[{"to":"\#(DebugTestChain.store)","gas":"0x1"}]"#).code, -32000)
    }
}
