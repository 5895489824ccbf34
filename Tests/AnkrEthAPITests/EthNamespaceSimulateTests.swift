import AnkrChain
import AnkrPrimitives
import AnkrRPC
@testable import AnkrEthAPI
import XCTest

/// eth_simulateV1: blocks built on each other, state and block overrides, validation, transfer logs,
/// the spec's error codes, and bounds on what one request may ask for.
final class EthNamespaceSimulateTests: XCTestCase {
    let alice = EthNamespaceTestChain.alice.address.description
    let bob = EthNamespaceTestChain.bob.description

    func simulate(_ c: EthNamespaceTestChain, _ payload: String, _ block: String = "\"latest\"") throws -> [JSON] {
        try XCTUnwrap(c.result("eth_simulateV1", "[\(payload),\(block)]").array)
    }

    func testBlocksFollowEachOtherAndCarryState() throws {
        let c = try EthNamespaceTestChain()
        let call = "{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"value\":\"0x1\"}"
        let blocks = try simulate(c, "{\"blockStateCalls\":[{\"calls\":[\(call),\(call)]},{\"calls\":[\(call)]}],\"returnFullTransactions\":true}")
        XCTAssertEqual(blocks.map { $0["number"] }, ["0x3", "0x4"])
        XCTAssertEqual(blocks[0]["parentHash"], .string(c.chain.head.hash.description))
        XCTAssertEqual(blocks[1]["parentHash"], blocks[0]["hash"])
        // The nonce goes up call by call, across blocks: alice's account nonce is 2.
        XCTAssertEqual(blocks[0]["transactions"]?.array?.map { $0["nonce"] }, ["0x2", "0x3"])
        XCTAssertEqual(blocks[1]["transactions"]?[0]?["nonce"], "0x4")
        XCTAssertEqual(blocks[0]["transactions"]?[0]?["from"], .string(alice))
        XCTAssertEqual(blocks[0]["gasUsed"], RPCFormat.q(UInt64(42_000)))
        XCTAssertEqual(blocks[0]["calls"]?[0]?["status"], "0x1")
        XCTAssertEqual(blocks[0]["calls"]?[0]?["gasUsed"], "0x5208")
        // Without validation the base fee is 0 and the time moves 12 s a block, as geth.
        XCTAssertEqual(blocks[0]["baseFeePerGas"], "0x0")
        XCTAssertEqual(blocks[0]["timestamp"], RPCFormat.q(c.chain.head.timestamp + 12))
        // Nothing is stored.
        XCTAssertEqual(c.chain.head.number, 2)
        XCTAssertEqual(try c.chain.state(at: c.chain.head).nonce(EthNamespaceTestChain.alice.address), 2)
    }

    func testGapsBetweenNumbersAreFilledWithEmptyBlocks() throws {
        let c = try EthNamespaceTestChain()
        let blocks = try simulate(c, "{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"0x6\",\"time\":\"0xffffffff\"}}]}")
        XCTAssertEqual(blocks.map { $0["number"] }, ["0x3", "0x4", "0x5", "0x6"])
        XCTAssertEqual(blocks.last?["timestamp"], "0xffffffff")
        XCTAssertEqual(blocks.map { $0["calls"]?.array?.count }, [0, 0, 0, 0])
    }

    func testStateOverridesReplaceBalanceCodeAndStorage() throws {
        let c = try EthNamespaceTestChain()
        let poor = "0x00000000000000000000000000000000000a11ce"
        let slot = "0x" + String(repeating: "00", count: 31) + "01"
        let value = "0x" + String(repeating: "00", count: 31) + "2a"
        // SLOAD(1) returned as a word: PUSH1 1 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
        let reader = "0x6001546000526020" + "6000f3"
        let payload = """
        {"blockStateCalls":[{"stateOverrides":{"\(poor)":{"balance":"0x64"},"\(bob)":{"code":"\(reader)","stateDiff":{"\(slot)":"\(value)"}}},
          "calls":[{"from":"\(poor)","to":"\(alice)","value":"0x64"},{"from":"\(alice)","to":"\(bob)"}]},
         {"stateOverrides":{"\(bob)":{"state":{}}},"calls":[{"from":"\(alice)","to":"\(bob)"}]}]}
        """
        let blocks = try simulate(c, payload)
        XCTAssertEqual(blocks[0]["calls"]?[0]?["status"], "0x1")
        XCTAssertEqual(blocks[0]["calls"]?[1]?["returnData"], .string(value))
        // `state` wipes every slot the account had.
        XCTAssertEqual(blocks[1]["calls"]?[0]?["returnData"], .string("0x" + String(repeating: "00", count: 32)))
    }

    func testTransferLogsFollowInnerCallsAndDropWithFailedFrames() throws {
        let c = try EthNamespaceTestChain()
        let forwarder = EthNamespaceTestChain.forwarder.description
        let blocks = try simulate(c, "{\"blockStateCalls\":[{\"calls\":[{\"from\":\"\(alice)\",\"to\":\"\(forwarder)\",\"value\":\"0x3\"}]}],\"traceTransfers\":true}")
        let logs = try XCTUnwrap(blocks[0]["calls"]?[0]?["logs"]?.array)
        // alice → forwarder (3 wei), forwarder → bob (5 wei); the reverter's transfer and its LOG0 are gone with its frame.
        XCTAssertEqual(logs.count, 2, "\(logs)")
        XCTAssertEqual(logs.map { $0["address"]?.string?.lowercased() }, Array(repeating: "0x" + String(repeating: "ee", count: 20), count: 2))
        XCTAssertEqual(logs[1]["topics"]?[2], .string(H256(word: UInt256(bigEndian: [UInt8](repeating: 0, count: 12) + EthNamespaceTestChain.bob.bytes) ?? .zero)
            .description))
        XCTAssertEqual(logs[1]["data"], .string("0x" + String(repeating: "00", count: 31) + "05"))
        XCTAssertEqual(logs.map { $0["logIndex"] }, ["0x0", "0x1"])
        // Without the flag there are no transfer logs.
        let plain = try simulate(c, "{\"blockStateCalls\":[{\"calls\":[{\"from\":\"\(alice)\",\"to\":\"\(forwarder)\",\"value\":\"0x3\"}]}]}")
        XCTAssertEqual(plain[0]["calls"]?[0]?["logs"], [])
    }

    func testFailedCallsCarryTheSpecifiedErrors() throws {
        let c = try EthNamespaceTestChain()
        let reverter = EthNamespaceTestChain.reverter.description
        // 0xfe: INVALID.
        let payload = """
        {"blockStateCalls":[{"stateOverrides":{"\(bob)":{"code":"0xfe"}},
          "calls":[{"from":"\(alice)","to":"\(reverter)","gas":"0x30000"},{"from":"\(alice)","to":"\(bob)","gas":"0x30000"},
                   {"from":"\(alice)","to":"\(EthNamespaceTestChain.emitter)","input":"0x\(String(repeating: "00", count: 31))09"}]}]}
        """
        let calls = try XCTUnwrap(simulate(c, payload)[0]["calls"]?.array)
        XCTAssertEqual(calls[0]["status"], "0x0")
        XCTAssertEqual(calls[0]["error"]?["code"], .int(3))
        XCTAssertEqual(calls[1]["error"]?["code"], .int(-32015))
        XCTAssertEqual(calls[2]["status"], "0x1")
        XCTAssertEqual(calls[2]["logs"]?[0]?["data"], .string("0x" + String(repeating: "00", count: 31) + "09"))
    }

    func testValidationChecksNoncesFeesAndFunds() throws {
        let c = try EthNamespaceTestChain()
        func code(_ call: String, validation: Bool = true, overrides: String = "") throws -> Int64? {
            try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\(overrides)\"calls\":[\(call)]}],\"validation\":\(validation)}]")
        }
        let fee = "\"maxFeePerGas\":\"0x174876e800\",\"gas\":\"0x5208\""
        XCTAssertNil(try code("{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\(fee)}"))
        XCTAssertEqual(try code("{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"nonce\":\"0x1\",\(fee)}"), -38010)
        XCTAssertEqual(try code("{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"nonce\":\"0x7\",\(fee)}"), -38011)
        XCTAssertEqual(try code("{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"gas\":\"0x5208\"}"), -38012)
        XCTAssertEqual(try code("{\"from\":\"0x000000000000000000000000000000000000dead\",\"to\":\"\(alice)\",\(fee)}"), -38014)
        XCTAssertEqual(try code("{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"gas\":\"0x5207\"}", validation: false), -38013)
        XCTAssertEqual(try code("{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"gas\":\"0x5209\"}", validation: false,
                                overrides: "\"blockOverrides\":{\"gasLimit\":\"0x5208\"},"), -38015)
        XCTAssertEqual(try code("{\"from\":\"\(EthNamespaceTestChain.emitter)\",\"to\":\"\(bob)\"}", validation: false), -38024)
        let initcode = "0x" + String(repeating: "00", count: 49_153)
        XCTAssertEqual(try code("{\"from\":\"\(alice)\",\"input\":\"\(initcode)\"}", validation: false), -38025)
        // Without validation the nonce is the account's, whatever the call says, and fees may be 0.
        XCTAssertNil(try code("{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"nonce\":\"0x1\"}", validation: false))
    }

    func testBlockOrderIsEnforced() throws {
        let c = try EthNamespaceTestChain()
        XCTAssertEqual(try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"0x2\"}}]}]"), -38020)
        XCTAssertEqual(try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"0x9\"}},{\"blockOverrides\":{\"number\":\"0x9\"}}]}]"), -38020)
        XCTAssertEqual(try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"time\":\"0x1\"}}]}]"), -38021)
        XCTAssertEqual(try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"0xffffffffffffffff\"}},{}]}]"), -38026)
    }

    func testRequestsAreBounded() throws {
        let c = try EthNamespaceTestChain()
        func blocks(_ n: Int) -> String { "[{\"blockStateCalls\":[" + Array(repeating: "{}", count: n).joined(separator: ",") + "]}]" }
        XCTAssertNil(try c.errorCode("eth_simulateV1", blocks(EthNamespace.maxSimulatedBlocks)))
        XCTAssertEqual(try c.errorCode("eth_simulateV1", blocks(EthNamespace.maxSimulatedBlocks + 1)), -38026)
        XCTAssertEqual(try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"0x103\"}}]}]"), -38026)
        XCTAssertNil(try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"0x102\"}}]}]"))
        let call = "{\"from\":\"\(alice)\",\"to\":\"\(bob)\",\"gas\":\"0x5208\"}"
        let many = "[{\"blockStateCalls\":[{\"calls\":[" + Array(repeating: call, count: EthNamespace.maxSimulatedCalls + 1).joined(separator: ",") + "]}]}]"
        XCTAssertEqual(try c.errorCode("eth_simulateV1", many), -38026)
        let slots = (0...SimulateAccountOverride.maxSlots).map { "\"0x\(String(format: "%064x", $0))\":\"0x\(String(repeating: "00", count: 32))\"" }
        XCTAssertEqual(try c.errorCode("eth_simulateV1", "[{\"blockStateCalls\":[{\"stateOverrides\":{\"\(bob)\":{\"stateDiff\":{\(slots.joined(separator: ","))}}}}]}]"),
                       -32602)
        // An endless loop stops at the request's gas budget, however large the block.
        let loop = "{\"stateOverrides\":{\"\(bob)\":{\"code\":\"0x5b600056\"}},\"blockOverrides\":{\"gasLimit\":\"0xffffffffff\"},\"calls\":[{\"to\":\"\(bob)\"}]}"
        let spun = try simulate(c, "{\"blockStateCalls\":[\(loop)]}")
        XCTAssertEqual(spun[0]["calls"]?[0]?["status"], "0x0")
        XCTAssertEqual(spun[0]["gasUsed"], RPCFormat.q(EthNamespaceTestChain.simulationGasBudget))
        // And once it is spent, a further call has no gas left to start with.
        let twice = "[{\"blockStateCalls\":[\(loop),\(loop)]}]"
        XCTAssertEqual(try c.errorCode("eth_simulateV1", twice), -38013)
    }

    func testTheTimeLimitStopsALongSimulation() throws {
        var limits = EthNamespaceTestChain.limits
        limits.evmTimeout = .milliseconds(1)
        let c = try EthNamespaceTestChain(limits: limits)
        let loop = "{\"stateOverrides\":{\"\(bob)\":{\"code\":\"0x5b600056\"}},\"blockOverrides\":{\"gasLimit\":\"0xffffffffff\"},\"calls\":[{\"to\":\"\(bob)\"}]}"
        let blocks = "[{\"blockStateCalls\":[" + Array(repeating: loop, count: 50).joined(separator: ",") + "]}]"
        XCTAssertEqual(try c.errorCode("eth_simulateV1", blocks), -32016)
    }

    func testMalformedRequestsAreInvalidParams() throws {
        let c = try EthNamespaceTestChain()
        let hostile = [
            "[]", "[null]", "[1]", "[{}]", "[{\"blockStateCalls\":{}}]", "[{\"blockStateCalls\":[1]}]", "[{\"blockStateCalls\":[{\"calls\":{}}]}]",
            "[{\"blockStateCalls\":[{\"calls\":[7]}]}]", "[{\"blockStateCalls\":[{\"calls\":[{\"from\":\"0x12\"}]}]}]",
            "[{\"blockStateCalls\":[{\"calls\":[{\"to\":\"\(bob)\",\"gas\":\"0x1\(String(repeating: "0", count: 16))\"}]}]}]",
            "[{\"blockStateCalls\":[{\"calls\":[{\"to\":\"\(bob)\",\"gasPrice\":\"0x1\",\"maxFeePerGas\":\"0x1\"}]}]}]",
            "[{\"blockStateCalls\":[{\"calls\":[{\"to\":\"\(bob)\",\"maxPriorityFeePerGas\":\"0x2\",\"maxFeePerGas\":\"0x1\"}]}]}]",
            "[{\"blockStateCalls\":[{\"calls\":[{\"to\":\"\(bob)\",\"blobVersionedHashes\":[]}]}]}]",
            "[{\"blockStateCalls\":[{\"blockOverrides\":[]}]}]", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"-1\"}}]}]",
            "[{\"blockStateCalls\":[{\"blockOverrides\":{\"withdrawals\":[]}}]}]", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"blobBaseFee\":\"0x1\"}}]}]",
            "[{\"blockStateCalls\":[{\"stateOverrides\":[]}]}]", "[{\"blockStateCalls\":[{\"stateOverrides\":{\"0x12\":{}}}]}]",
            "[{\"blockStateCalls\":[{\"stateOverrides\":{\"\(bob)\":1}}]}]",
            "[{\"blockStateCalls\":[{\"stateOverrides\":{\"\(bob)\":{\"state\":{},\"stateDiff\":{}}}}]}]",
            "[{\"blockStateCalls\":[{\"stateOverrides\":{\"\(bob)\":{\"state\":{\"0x1\":\"0x2\"}}}}]}]",
            "[{\"blockStateCalls\":[{\"stateOverrides\":{\"\(bob)\":{\"movePrecompileToAddress\":\"\(alice)\"}}}]}]",
            "[{\"blockStateCalls\":[{\"stateOverrides\":{\"\(bob)\":{\"nonce\":\"0x1\(String(repeating: "0", count: 16))\"}}}]}]",
            "[{\"blockStateCalls\":[],\"validation\":1}]", "[{\"blockStateCalls\":[],\"traceTransfers\":\"yes\"}]",
            "[{\"blockStateCalls\":[]},\"tomorrow\"]", "[{\"blockStateCalls\":[]},\"latest\",1]",
        ]
        for params in hostile {
            XCTAssertEqual(try c.errorCode("eth_simulateV1", params), -32602, params)
        }
        XCTAssertEqual(try c.result("eth_simulateV1", "[{\"blockStateCalls\":[]}]"), [])
    }
}
