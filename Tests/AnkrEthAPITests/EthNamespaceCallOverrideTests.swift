import AnkrChain
import AnkrPrimitives
import AnkrRPC
import XCTest

/// geth's extra parameters of eth_call (state overrides, block overrides) and eth_estimateGas (state
/// overrides): the call sees them, the chain keeps nothing.
final class EthNamespaceCallOverrideTests: XCTestCase {
    let alice = EthNamespaceTestChain.alice.address.description
    let bob = EthNamespaceTestChain.bob.description
    let word = { (v: UInt64) in "0x" + String(format: "%064x", v) }

    func testStateOverridesReplaceCodeAndStorageForOneCall() throws {
        let c = try EthNamespaceTestChain()
        // PUSH1 1 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
        let reader = "0x600154600052602060" + "00f3"
        let overrides = "{\"\(bob)\":{\"code\":\"\(reader)\",\"stateDiff\":{\"\(word(1))\":\"\(word(42))\"}}}"
        XCTAssertEqual(try c.result("eth_call", "[{\"to\":\"\(bob)\"},\"latest\",\(overrides)]"), .string(word(42)))
        XCTAssertEqual(try c.result("eth_call", "[{\"to\":\"\(bob)\"},\"latest\"]"), "0x", "nothing was stored")
        XCTAssertEqual(try c.result("eth_call", "[{\"to\":\"\(bob)\"},\"latest\",null]"), "0x")
    }

    func testBlockOverridesChangeWhatTheCallSees() throws {
        let c = try EthNamespaceTestChain()
        // NUMBER PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN, and the same with COINBASE (0x41) and TIMESTAMP (0x42).
        func returning(_ op: String) -> String { "{\"\(bob)\":{\"code\":\"0x\(op)600052602060" + "00f3\"}}" }
        let number = try c.result("eth_call", "[{\"to\":\"\(bob)\"},\"latest\",\(returning("43")),{\"number\":\"0x1234\"}]")
        XCTAssertEqual(number, .string(word(0x1234)))
        let time = try c.result("eth_call", "[{\"to\":\"\(bob)\"},\"latest\",\(returning("42")),{\"time\":\"0x99\"}]")
        XCTAssertEqual(time, .string(word(0x99)))
        let miner = try c.result("eth_call", "[{\"to\":\"\(bob)\"},\"latest\",\(returning("41")),{\"feeRecipient\":\"\(alice)\"}]")
        XCTAssertEqual(miner, .string("0x000000000000000000000000" + alice.lowercased().dropFirst(2)))
    }

    func testEstimateGasTakesStateOverrides() throws {
        let c = try EthNamespaceTestChain()
        let poor = "0x000000000000000000000000000000000000dead"
        let call = "{\"from\":\"\(poor)\",\"to\":\"\(bob)\",\"value\":\"0x64\"}"
        XCTAssertEqual(try c.errorCode("eth_estimateGas", "[\(call)]"), -32000)
        XCTAssertEqual(try c.result("eth_estimateGas", "[\(call),\"latest\",{\"\(poor)\":{\"balance\":\"0x64\"}}]"), "0x5208")
    }

    /// web3.py and ethers send unset fields as null (`"to": null` for a creation): null is absent, as in geth.
    func testNullFieldsOfACallAreAbsent() throws {
        let c = try EthNamespaceTestChain()
        // A creation whose initcode returns nothing: `to` null, `value` and `gas` null.
        let creation = "{\"from\":\"\(alice)\",\"to\":null,\"value\":null,\"gas\":null,\"input\":\"0x00\"}"
        XCTAssertEqual(try c.result("eth_call", "[\(creation),\"latest\"]"), "0x")
        XCTAssertNotNil(try c.result("eth_estimateGas", "[\(creation)]").string)
    }

    func testMalformedOverridesAreInvalidParams() throws {
        let c = try EthNamespaceTestChain()
        let call = "{\"to\":\"\(bob)\"}"
        for (method, params) in [
            ("eth_call", "[\(call),\"latest\",[]]"), ("eth_call", "[\(call),\"latest\",{\"0x12\":{}}]"),
            ("eth_call", "[\(call),\"latest\",{\"\(bob)\":{\"balance\":\"-1\"}}]"), ("eth_call", "[\(call),\"latest\",{},1]"),
            ("eth_call", "[\(call),\"latest\",{},{\"withdrawals\":[]}]"), ("eth_call", "[\(call),\"latest\",{},{\"number\":\"0x1\(String(repeating: "0", count: 16))\"}]"),
            ("eth_call", "[\(call),\"latest\",{},{},1]"), ("eth_estimateGas", "[\(call),\"latest\",{},{}]"),
            ("eth_estimateGas", "[\(call),\"latest\",{\"\(bob)\":{\"state\":{},\"stateDiff\":{}}}]"),
        ] {
            XCTAssertEqual(try c.errorCode(method, params), -32602, "\(method) \(params)")
        }
    }
}
