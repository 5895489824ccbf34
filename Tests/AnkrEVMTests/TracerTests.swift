import AnkrEVM
import AnkrPrimitives
import Foundation
import XCTest

/// The tracing seam and the tracers on it: what a tracer is told and in which order, that tracing changes nothing
/// the EVM computes, and the shapes of the EIP-3155 lines, geth's opcode logger, callTracer and access list.
final class TracerTests: XCTestCase {
    static let sender = (try? Address(hex: "0x000000000000000000000000000000000000cafe")) ?? .zero
    static let contract = (try? Address(hex: "0x000000000000000000000000000000000000c0de")) ?? .zero
    static let callee = (try? Address(hex: "0x0000000000000000000000000000000000000b0b")) ?? .zero

    /// B: MSTORE(0, 0x2a), LOG0(0, 32), RETURN(0, 32).
    static let calleeCode = "602a60005260206000a060206000f3"
    /// A: CALL B (out 0..32), STATICCALL B (fails: LOG in a static call), DELEGATECALL B, STOP.
    static let callerCode = "6020600060006000600073" + "0000000000000000000000000000000000000b0b" + "5af1"
        + "600060006000600073" + "0000000000000000000000000000000000000b0b" + "5afa"
        + "600060006000600073" + "0000000000000000000000000000000000000b0b" + "5af4" + "00"

    /// Runs a transaction from `sender` to `contract` (holding `code`) with `callee` holding `calleeCode`.
    func transact(_ code: String, calleeCode: String = TracerTests.calleeCode, data: [UInt8] = [], value: UInt256 = .zero, gas: UInt64 = 200_000,
                  to: Address? = TracerTests.contract, tracer: (any EVMTracer)?) throws -> (TransactionExecutor.Outcome, InMemoryEVMState) {
        let state = InMemoryEVMState()
        state.setAccount(Self.sender, EVMAccount(balance: UInt256(UInt64.max)))
        state.setAccount(Self.contract, EVMAccount(nonce: 1, code: try Hex.decode(code)))
        state.setAccount(Self.callee, EVMAccount(nonce: 1, code: try Hex.decode(calleeCode)))
        state.setStorage(Self.contract, UInt256(1), UInt256(7))
        state.beginTransaction()
        let block = BlockEnvironment(chainID: 1, coinbase: .zero, number: 1, timestamp: 1, gasLimit: 30_000_000, baseFee: .zero)
        let message = TransactionMessage(sender: Self.sender, to: to, nonce: .zero, gasLimit: UInt256(gas), value: value, data: data, gasPrice: .zero,
                                         maxFeePerGas: nil, maxPriorityFeePerGas: nil, accessList: [])
        return (try TransactionExecutor.apply(message, state: state, block: block, tracer: tracer), state)
    }

    func testTracerHearsFramesStepsAndLogsInExecutionOrder() throws {
        let recorder = Recorder()
        let (outcome, _) = try transact(Self.callerCode, tracer: recorder)
        XCTAssertEqual(outcome.status, .success)
        let frames = recorder.events.filter { $0.hasPrefix("enter") || $0.hasPrefix("exit") }
        XCTAssertEqual(frames, [
            "enter CALL 0 cafe→c0de value 0",
            "enter CALL 1 c0de→b0b value 0", "exit success 32",
            "enter STATICCALL 1 c0de→b0b value nil", "exit failure(\"LOG in a static call\") 0",
            // A DELEGATECALL is from the delegating contract, with the value it inherits.
            "enter DELEGATECALL 1 c0de→b0b value 0", "exit success 32",
            "exit success 0",
        ])
        // The CALL's cost (with the gas it gives) is reported before the callee's first step; the log comes from B.
        let call = try XCTUnwrap(recorder.events.firstIndex { $0.hasPrefix("step CALL") })
        XCTAssertTrue(recorder.events[call + 1].hasPrefix("ended "))
        XCTAssertEqual(recorder.events[call + 2], "enter CALL 1 c0de→b0b value 0")
        XCTAssertEqual(recorder.events[call + 3], "step PUSH1 depth 2 pc 0")
        XCTAssertEqual(recorder.events.filter { $0.hasPrefix("log") }, ["log b0b 0x000000000000000000000000000000000000000000000000000000000000002a",
                                                                         "log c0de 0x000000000000000000000000000000000000000000000000000000000000002a"])
        // The failing LOG0 under STATICCALL ends its frame with the error.
        XCTAssertTrue(recorder.events.contains("ended 0 LOG in a static call"))
        // Every step is closed exactly once.
        XCTAssertEqual(recorder.events.filter { $0.hasPrefix("step") }.count, recorder.events.filter { $0.hasPrefix("ended") }.count)
    }

    func testTracingChangesNothingTheEVMComputes() throws {
        let programs = [Self.callerCode, "600160015560006000fd", "5b600056", "6001600101", "60016401000000005200",
                        // CREATE of a contract returning one byte, then SELFDESTRUCT to the caller.
                        "69600160005360016000f3" + "600052" + "600a60166000f0" + "33ff"]
        for code in programs {
            let (plain, plainState) = try transact(code, tracer: nil)
            let (traced, tracedState) = try transact(code, tracer: Recorder())
            XCTAssertEqual(plain.status, traced.status, code)
            XCTAssertEqual(plain.gasUsed, traced.gasUsed, code)
            XCTAssertEqual(plain.output, traced.output, code)
            XCTAssertEqual(plain.logs, traced.logs, code)
            XCTAssertEqual(plainState.accounts, tracedState.accounts, code)
            XCTAssertEqual(plainState.storages, tracedState.storages, code)
        }
    }

    func testEIP3155LinesAreRevmsLineForLine() throws {
        var lines: [String] = []
        // SSTORE(0, 0x2a), MSTORE(0, 0x2a), LOG1(0, 32, 7), RETURN(0, 32): revm 8 printed exactly these lines for it.
        let (outcome, _) = try transact("602a5f55602a5f52600760205fa160205ff3", gas: 100_000,
                                        tracer: EIP3155Tracer(intrinsicGas: 21_000) { lines.append($0) })
        XCTAssertEqual(outcome.gasUsed, 44_135)
        XCTAssertEqual(lines, [
            #"{"pc":0,"op":96,"gas":"0x13498","gasCost":"0x3","stack":[],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","opName":"PUSH1"}"#,
            #"{"pc":2,"op":95,"gas":"0x13495","gasCost":"0x2","stack":["0x2a"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","opName":"PUSH0"}"#,
            #"{"pc":3,"op":85,"gas":"0x13493","gasCost":"0x5654","stack":["0x2a","0x0"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","opName":"SSTORE"}"#,
            #"{"pc":4,"op":96,"gas":"0xde3f","gasCost":"0x3","stack":[],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","opName":"PUSH1"}"#,
            #"{"pc":6,"op":95,"gas":"0xde3c","gasCost":"0x2","stack":["0x2a"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","opName":"PUSH0"}"#,
            #"{"pc":7,"op":82,"gas":"0xde3a","gasCost":"0x6","stack":["0x2a","0x0"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","opName":"MSTORE"}"#,
            #"{"pc":8,"op":96,"gas":"0xde34","gasCost":"0x3","stack":[],"depth":1,"returnData":"0x","refund":"0x0","memSize":"32","opName":"PUSH1"}"#,
            #"{"pc":10,"op":96,"gas":"0xde31","gasCost":"0x3","stack":["0x7"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"32","opName":"PUSH1"}"#,
            #"{"pc":12,"op":95,"gas":"0xde2e","gasCost":"0x2","stack":["0x7","0x20"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"32","opName":"PUSH0"}"#,
            #"{"pc":13,"op":161,"gas":"0xde2c","gasCost":"0x3ee","stack":["0x7","0x20","0x0"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"32","opName":"LOG1"}"#,
            #"{"pc":14,"op":96,"gas":"0xda3e","gasCost":"0x3","stack":[],"depth":1,"returnData":"0x","refund":"0x0","memSize":"32","opName":"PUSH1"}"#,
            #"{"pc":16,"op":95,"gas":"0xda3b","gasCost":"0x2","stack":["0x20"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"32","opName":"PUSH0"}"#,
            #"{"pc":17,"op":243,"gas":"0xda39","gasCost":"0x0","stack":["0x20","0x0"],"depth":1,"returnData":"0x","refund":"0x0","memSize":"32","opName":"RETURN"}"#,
            #"{"stateRoot":"0x0000000000000000000000000000000000000000000000000000000000000000","output":"0x000000000000000000000000000000000000000000000000000000000000002a","gasUsed":"0xac67","pass":true,"fork":"Cancun"}"#,
        ])
    }

    func testEIP3155ReportsTheFailingStepAsRevmDoes() throws {
        var lines: [String] = []
        // PUSH1 1, PUSH5 2^32, MSTORE: memory past 4 GiB cannot be paid for; the static 3 was charged first.
        _ = try transact("60016401000000005200", gas: 100_000, tracer: EIP3155Tracer(intrinsicGas: 21_000) { lines.append($0) })
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[2].hasPrefix(#"{"pc":8,"op":82,"gas":"0x13492","gasCost":"0x3","#), lines[2])
        XCTAssertTrue(lines[2].hasSuffix(#""opName":"MSTORE","error":"out of gas"}"#), lines[2])
        XCTAssertTrue(lines[3].contains(#""gasUsed":"0x186a0","pass":false"#), lines[3])
        // Past the code's end the EVM reads STOP, and traces it; an undefined opcode has no opName.
        lines = []
        _ = try transact("6001", tracer: EIP3155Tracer { lines.append($0) })
        XCTAssertTrue(lines[1].hasPrefix(#"{"pc":2,"op":0,"#) && lines[1].contains(#""opName":"STOP""#), lines[1])
        lines = []
        _ = try transact("ef", tracer: EIP3155Tracer(includeMemory: true) { lines.append($0) })
        XCTAssertEqual(lines[0], #"{"pc":0,"op":239,"gas":"0x2bb38","gasCost":"0x0","stack":[],"depth":1,"returnData":"0x","refund":"0x0","memSize":"0","error":"undefined opcode 0xef","memory":"0x"}"#)
    }

    func testEIP3155ChargesALogBeforeItsTopicsRunOutAsRevmDoes() throws {
        var lines: [String] = []
        // PUSH1 32, PUSH1 0, LOG2 with no topics on the stack: revm pops offset and size, charges 375 + 2·375 + 8·32 and
        // the memory word, and only then finds the topics missing (stMemoryTest/log2_dejavu).
        let (outcome, _) = try transact("60206000a2", tracer: EIP3155Tracer(intrinsicGas: 21_000) { lines.append($0) })
        XCTAssertEqual(outcome.status, .failure("stack underflow"))
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[2].contains(#""op":162,"#) && lines[2].contains(#""gasCost":"0x568","#), lines[2])
        XCTAssertTrue(lines[2].hasSuffix(#""opName":"LOG2","error":"stack underflow"}"#), lines[2])
    }

    func testEIP3155ChargesACreate2BeforeItsSaltRunsOutAsRevmDoes() throws {
        var lines: [String] = []
        // PUSH1 3 three times, CREATE2 without a salt: revm charges the initcode word (2) and the memory word (3), then
        // finds the salt missing (stStackTests/underflowTest).
        let (outcome, _) = try transact("600360036003f5", tracer: EIP3155Tracer(intrinsicGas: 21_000) { lines.append($0) })
        XCTAssertEqual(outcome.status, .failure("stack underflow"))
        XCTAssertTrue(lines[3].contains(#""op":245,"#) && lines[3].contains(#""gasCost":"0x5","#), lines[3])
        XCTAssertTrue(lines[3].hasSuffix(#""opName":"CREATE2","error":"stack underflow"}"#), lines[3])
    }

    func testEIP3155StopsFormattingPastItsStepBound() throws {
        var lines: [String] = []
        // JUMPDEST, PUSH1 0, JUMP forever: ten lines, the summary, and the rest counted as truncated.
        let tracer = EIP3155Tracer(maxSteps: 10) { lines.append($0) }
        let (outcome, _) = try transact("5b600056", gas: 100_000, tracer: tracer)
        XCTAssertEqual(outcome.status, .failure("out of gas"))
        XCTAssertEqual(lines.count, 11)
        XCTAssertTrue(tracer.truncated)
        XCTAssertTrue(lines[10].hasPrefix(#"{"stateRoot""#) && lines[10].contains(#""pass":false"#), lines[10])
    }

    func testStructLoggerShapesEntriesAsGethsOpcodeLogger() throws {
        // SLOAD(1) (pre-state 7), SSTORE(2, 5), MSTORE(0, that), STATICCALL B, RETURN(0, 32).
        let code = "600154" + "6005600255" + "600052" + "6000600060006000" + "73" + "0000000000000000000000000000000000000b0b" + "5afa50" + "60206000f3"
        let logger = StructLogger(config: StructLoggerConfig(enableMemory: true, enableReturnData: true))
        let (outcome, _) = try transact(code, calleeCode: "600160005260206000f3", tracer: logger)
        XCTAssertEqual(outcome.status, .success)
        let result = try logger.result(gasUsed: outcome.gasUsed, failed: false, output: outcome.output)
        XCTAssertEqual(result["gas"], .int(Int64(outcome.gasUsed)))
        XCTAssertEqual(result["failed"], false)
        XCTAssertEqual(result["returnValue"], .string(outcome.output.hexPrefixed))
        let logs = try XCTUnwrap(result["structLogs"]?.array)
        let sload = try XCTUnwrap(logs.first(where: { $0["op"] == "SLOAD" }))
        let word = { (n: UInt64) in JSON.string(UInt256(n).bigEndianBytes.hexPrefixed) }
        XCTAssertEqual(sload["storage"], .object([UInt256(1).bigEndianBytes.hexPrefixed: word(7)]))
        XCTAssertEqual(sload["stack"], ["0x1"])
        XCTAssertEqual(sload["gasCost"], 2_100)
        XCTAssertEqual(sload["depth"], 1)
        XCTAssertEqual(sload["refund"], 0)
        let sstore = try XCTUnwrap(logs.first(where: { $0["op"] == "SSTORE" }))
        XCTAssertEqual(sstore["storage"], .object([UInt256(1).bigEndianBytes.hexPrefixed: word(7), UInt256(2).bigEndianBytes.hexPrefixed: word(5)]))
        // Storage only at SLOAD and SSTORE; memory as 32-byte words.
        XCTAssertNil(logs[0]["storage"])
        let ret = try XCTUnwrap(logs.last(where: { $0["op"] == "RETURN" && $0["depth"] == 1 }))
        XCTAssertEqual(ret["memory"], [word(7)])
        XCTAssertEqual(ret["returnData"], .string(UInt256(1).bigEndianBytes.hexPrefixed))
        XCTAssertTrue(logs.contains { $0["depth"] == 2 })
        XCTAssertTrue(logs.allSatisfy { $0["error"] == nil })

        // disableStack / disableStorage / no memory: those keys are absent, not empty; limit keeps the first n.
        let lean = StructLogger(config: StructLoggerConfig(disableStack: true, disableStorage: true, limit: 3))
        _ = try transact(code, tracer: lean)
        let few = try XCTUnwrap(try lean.result(gasUsed: 0, failed: false, output: [])["structLogs"]?.array)
        XCTAssertEqual(few.count, 3)
        XCTAssertTrue(few.allSatisfy { $0["stack"] == nil && $0["storage"] == nil && $0["memory"] == nil && $0["returnData"] == nil })
    }

    func testStructLoggerMarksTheFailingStepAndGivesRevertData() throws {
        let logger = StructLogger()
        let (outcome, _) = try transact("6001600101" + "56", tracer: logger)
        let logs = try XCTUnwrap(try logger.result(gasUsed: outcome.gasUsed, failed: true, output: [])["structLogs"]?.array)
        XCTAssertEqual(logs.last?["op"], "JUMP")
        XCTAssertEqual(logs.last?["error"], "invalid jump destination")
        let reverting = StructLogger()
        let (reverted, _) = try transact("60aa60005260206000fd", tracer: reverting)
        let result = try reverting.result(gasUsed: reverted.gasUsed, failed: true, output: reverted.output)
        XCTAssertEqual(result["returnValue"], .string(UInt256(0xaa).bigEndianBytes.hexPrefixed))
        XCTAssertEqual(result["failed"], true)
        XCTAssertEqual(result["structLogs"]?.array?.last?["op"], "REVERT")
        XCTAssertNil(result["structLogs"]?.array?.last?["error"])
    }

    func testStructLoggerStopsAtItsSizeBoundWithATypedError() throws {
        // An endless loop with 16 words of memory: a 64 KiB bound is reached long before the gas runs out.
        let logger = StructLogger(config: StructLoggerConfig(enableMemory: true, maxResultBytes: 64 << 10))
        _ = try transact("60016101ff52" + "5b600656", gas: 1_000_000, tracer: logger)
        XCTAssertThrowsError(try logger.result(gasUsed: 0, failed: true, output: [])) { error in
            guard case StructLoggerError.traceTooLarge(limitBytes: 65_536, let step) = error else { return XCTFail("\(error)") }
            XCTAssertGreaterThan(step, 10)
            XCTAssertLessThan(step, 1_000)
        }
    }

    func testCallTracerStopsAtItsBoundInsteadOfKeepingEveryFramesInput() throws {
        // An endless loop of CALLs to the identity precompile with 1 KiB of calldata each: a 64 KiB bound is
        // reached within a few dozen frames, long before the gas runs out.
        let tracer = CallTracer(withLog: true, maxResultBytes: 64 << 10)
        _ = try transact("5b" + "6000" + "6000" + "610400" + "6000" + "6000" + "6004" + "5a" + "f1" + "50" + "6000" + "56", gas: 1_000_000, tracer: tracer)
        XCTAssertThrowsError(try tracer.result(gasLimit: 1_000_000, gasUsed: 1_000_000)) { error in
            XCTAssertEqual(error as? CallTracerError, .traceTooLarge(limitBytes: 65_536))
        }
        // The same loop under a bound it cannot reach in 30,000 gas answers its tree.
        let roomy = CallTracer(maxResultBytes: 64 << 20)
        _ = try transact("5b" + "6000" + "6000" + "610400" + "6000" + "6000" + "6004" + "5a" + "f1" + "50" + "6000" + "56", gas: 30_000, tracer: roomy)
        XCTAssertGreaterThan(try XCTUnwrap(roomy.result(gasLimit: 30_000, gasUsed: 30_000)?["calls"]?.array).count, 10)
    }

    func testCallTracerBuildsGethsCallTree() throws {
        let tracer = CallTracer(withLog: true)
        let (outcome, _) = try transact(Self.callerCode, data: [1, 2], gas: 300_000, tracer: tracer)
        let tree = try XCTUnwrap(tracer.result(gasLimit: 300_000, gasUsed: outcome.gasUsed))
        XCTAssertEqual(tree["type"], "CALL")
        XCTAssertEqual(tree["from"], "0x000000000000000000000000000000000000cafe")
        XCTAssertEqual(tree["to"], "0x000000000000000000000000000000000000c0de")
        XCTAssertEqual(tree["gas"], .string(UInt256(300_000).hexQuantity))
        XCTAssertEqual(tree["gasUsed"], .string(UInt256(outcome.gasUsed).hexQuantity))
        XCTAssertEqual(tree["input"], "0x0102")
        XCTAssertEqual(tree["value"], "0x0")
        XCTAssertNil(tree["output"])
        let calls = try XCTUnwrap(tree["calls"]?.array)
        XCTAssertEqual(calls.map { $0["type"] }, ["CALL", "STATICCALL", "DELEGATECALL"])
        XCTAssertEqual(calls[0]["output"], .string(UInt256(0x2a).bigEndianBytes.hexPrefixed))
        XCTAssertEqual(calls[0]["logs"]?[0]?["position"], "0x0")
        XCTAssertEqual(calls[0]["logs"]?[0]?["address"], "0x0000000000000000000000000000000000000b0b")
        XCTAssertNil(calls[1]["value"])
        XCTAssertEqual(calls[1]["error"], "write protection")
        XCTAssertNil(calls[1]["output"])
        // The delegated LOG0 is the caller's, in the DELEGATECALL frame.
        XCTAssertEqual(calls[2]["logs"]?[0]?["address"], "0x000000000000000000000000000000000000c0de")
        XCTAssertEqual(calls[2]["from"], "0x000000000000000000000000000000000000c0de")

        let top = CallTracer(onlyTopCall: true, withLog: true)
        _ = try transact(Self.callerCode, tracer: top)
        let only = try XCTUnwrap(top.result(gasLimit: 1, gasUsed: 1))
        XCTAssertNil(only["calls"])
        XCTAssertNil(only["logs"])
    }

    func testCallTracerGivesRevertReasonsAndDropsRevertedLogs() throws {
        // LOG0 of nothing, then REVERT with Error("no"): the log is gone, the reason decoded.
        let reason = ABI.revertData("no")
        var code = "60006000a0"
        for offset in stride(from: 0, to: reason.count, by: 32) {
            let word = Array(reason[offset..<min(offset + 32, reason.count)]) + [UInt8](repeating: 0, count: max(0, offset + 32 - reason.count))
            code += "7f" + String(word.hexPrefixed.dropFirst(2)) + "61" + String(format: "%04x", offset) + "52"
        }
        code += "61" + String(format: "%04x", reason.count) + "6000fd"
        let tracer = CallTracer(withLog: true)
        let (outcome, _) = try transact(code, tracer: tracer)
        XCTAssertEqual(outcome.status, .revert)
        let tree = try XCTUnwrap(tracer.result(gasLimit: 200_000, gasUsed: outcome.gasUsed))
        XCTAssertEqual(tree["error"], "execution reverted")
        XCTAssertEqual(tree["revertReason"], "no")
        XCTAssertEqual(tree["output"], .string(reason.hexPrefixed))
        XCTAssertNil(tree["logs"])

        // A creation that fails loses its `to`; one that succeeds keeps it and shows the deployed code.
        let creation = CallTracer()
        let (created, _) = try transact("", data: try Hex.decode("0x600160005360015ff3"), to: nil, tracer: creation)
        let createTree = try XCTUnwrap(creation.result(gasLimit: 200_000, gasUsed: created.gasUsed))
        XCTAssertEqual(createTree["type"], "CREATE")
        XCTAssertEqual(createTree["to"], .string(EVM.createAddress(Self.sender, nonce: 0).bytes.hexPrefixed))
        XCTAssertEqual(createTree["output"], "0x01")
        let failing = CallTracer()
        _ = try transact("", data: [0xfe], to: nil, tracer: failing)
        let failTree = try XCTUnwrap(failing.result(gasLimit: 200_000, gasUsed: 200_000))
        XCTAssertNil(failTree["to"])
        XCTAssertEqual(failTree["error"], "invalid opcode: INVALID")
    }

    func testAccessListTracerRecordsWhatOpcodesTouch() throws {
        let other = "00000000000000000000000000000000000000aa"
        // SLOAD 1, SSTORE 3, BALANCE(other), EXTCODESIZE(sender: excluded), STATICCALL B.
        let code = "600154" + "6001600355" + "73" + other + "31" + "73000000000000000000000000000000000000cafe3b"
            + "6000600060006000" + "73" + "0000000000000000000000000000000000000b0b" + "5afa00"
        let tracer = AccessListTracer(excluding: [Self.sender, Self.contract])
        _ = try transact(code, tracer: tracer)
        let list = tracer.accessList
        XCTAssertEqual(list.map(\.0), [try Address(hex: "0x" + other), Self.callee, Self.contract])
        XCTAssertEqual(list.map(\.1), [[], [], [UInt256(1), UInt256(3)]])
    }

    func testTracedStepReadsTheStackSafely() throws {
        let probe = StackProbe()
        _ = try transact("600160025f00", tracer: probe)
        XCTAssertEqual(probe.seen, [[], [UInt256(1)], [UInt256(1), UInt256(2)], [UInt256(1), UInt256(2), .zero]])
        XCTAssertEqual(probe.backs, [nil, UInt256(1), UInt256(2), .zero])
        XCTAssertTrue(probe.outOfRangeIsNil)
    }
}

/// Records every call a tracer gets as text.
private final class Recorder: EVMTracer {
    var events: [String] = []

    func short(_ a: Address) -> String { String(a.bytes.hexPrefixed.dropFirst(2).drop { $0 == "0" }) }

    func enterFrame(_ frame: TracedFrame) {
        events.append("enter \(frame.kind.rawValue) \(frame.depth) \(short(frame.from))→\(short(frame.to)) value \(frame.value.map { $0.description } ?? "nil")")
    }
    func step(_ step: TracedStep) { events.append("step \(step.opName ?? "?") depth \(step.depth) pc \(step.pc)") }
    func stepEnded(gasCost: UInt64, error: String?) { events.append("ended \(gasCost)" + (error.map { " " + $0 } ?? "")) }
    func log(_ log: EVMLog) { events.append("log \(short(log.address)) \(log.data.hexPrefixed)") }
    func exitFrame(_ exit: TracedFrameExit) { events.append("exit \(exit.status) \(exit.output.count)") }
}

/// Reads the stack through every accessor at each step.
private final class StackProbe: EVMTracer {
    var seen: [[UInt256]] = []
    var backs: [UInt256?] = []
    var outOfRangeIsNil = true

    func step(_ step: TracedStep) {
        seen.append(step.stack)
        backs.append(step.stackBack(0))
        if step.stackBack(-1) != nil || step.stackBack(step.stackCount) != nil { outOfRangeIsNil = false }
    }
    func enterFrame(_ frame: TracedFrame) {}
    func stepEnded(gasCost: UInt64, error: String?) {}
    func log(_ log: EVMLog) {}
    func exitFrame(_ exit: TracedFrameExit) {}
}
