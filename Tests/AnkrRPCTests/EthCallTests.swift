import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTestSupport
import Foundation
import XCTest

/// `eth_call` and `eth_estimateGas` through the EVM: return data, creations, revert data under code
/// 3, estimates that suffice, and clear errors for malformed requests.
final class EthCallTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let counter = CounterContract()
    var table = RPCMethodTable()
    var chain: Blockchain!

    override func setUpWithError() throws {
        chain = try Blockchain(database: ChainDatabase(),
                               genesis: Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]),
                               systemContracts: SystemContractRegistry([counter]))
        table = RPCMethodTable()
        EthNamespace(backend: ChainBackend(chain)).register(in: table)
    }

    func rpc(_ method: String, _ params: String) throws -> JSON {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        return try JSON(parsing: XCTUnwrap(table.handle(body: Data(body.utf8))))
    }

    func error(_ method: String, _ params: String) throws -> (code: Int, message: String, data: String?) {
        let e = try XCTUnwrap(try rpc(method, params)["error"], "\(method) \(params) should fail")
        return (Int(try XCTUnwrap(e["code"]?.int)), try XCTUnwrap(e["message"]?.string), e["data"]?.string)
    }

    func testRevertsCarryTheirReasonAndData() throws {
        let fail = try ABI.selector("fail()").hexPrefixed
        for method in ["eth_call", "eth_estimateGas"] {
            let e = try error(method, #"[{"to":"\#(counter.address)","data":"\#(fail)"},"latest"]"#)
            XCTAssertEqual(e.code, 3)
            XCTAssertEqual(e.message, "execution reverted: always fails")
            XCTAssertEqual(e.data, ABI.revertData("always fails").hexPrefixed)
        }
    }

    func testCallsCreationsAndEstimates() throws {
        let inc = try ABI.encodeCall("increment(uint256)", [.uint(UInt256(5))]).hexPrefixed
        XCTAssertEqual(try rpc("eth_call", #"[{"to":"\#(counter.address)","input":"\#(inc)"}]"#)["result"]?.string, UInt256(5).bigEndianBytes.hexPrefixed)
        // A creation returns the code it would deploy.
        let runtime: [UInt8] = [0x60, 0x00, 0x35, 0x60, 0x00, 0x55, 0x00]
        let initcode: [UInt8] = [0x60, 0x07, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x07, 0x60, 0x00, 0xf3] + runtime
        XCTAssertEqual(try rpc("eth_call", #"[{"from":"\#(alice.address)","data":"\#(initcode.hexPrefixed)"}]"#)["result"]?.string, runtime.hexPrefixed)
        // The estimate is the least limit that works: intrinsic + the counter's 5,000.
        let estimate = try XCTUnwrap(rpc("eth_estimateGas", #"[{"from":"\#(alice.address)","to":"\#(counter.address)","data":"\#(inc)"}]"#)["result"]?.string)
        let probe = Transaction.legacy(chainID: 7331, nonce: 0, gasPrice: .zero, gasLimit: 0, to: counter.address, value: .zero,
                                       data: try ABI.encodeCall("increment(uint256)", [.uint(UInt256(5))]))
        let intrinsic = try XCTUnwrap(IntrinsicGas.of(probe, fork: .cancun).uint64)
        XCTAssertEqual(UInt64(estimate.dropFirst(2), radix: 16), intrinsic + 5_000)
        XCTAssertEqual(try rpc("eth_estimateGas", #"[{"from":"\#(alice.address)","to":"0x00000000000000000000000000000000000000b0","value":"0x1"}]"#)["result"]?.string, "0x5208")
    }

    func testMalformedCallsAreRefusedClearly() throws {
        let to = counter.address.description
        for (params, code) in [
            (#"[{"to":"\#(to)","input":"0x01","data":"0x02"}]"#, -32602),
            (#"[{"to":"\#(to)","accessList":"everything"}]"#, -32602),
            (#"[{"to":"\#(to)","accessList":[{"address":"0x12"}]}]"#, -32602),
            (#"[{"to":"0x1234"}]"#, -32602),
            (#"[{"to":"\#(to)","data":"0xzz"}]"#, -32602),
            (#"[{"to":"\#(to)","gas":"0x1"}]"#, -32000),
            (#"[{"from":"0x00000000000000000000000000000000000000b0","to":"\#(to)","value":"0x1"}]"#, -32000),
            (#"["not an object"]"#, -32602),
        ] {
            XCTAssertEqual(try error("eth_call", params).code, code, params)
        }
        // An invalid opcode is a failure, not a revert: no data.
        let bad = try error("eth_call", #"[{"data":"0xfe"}]"#)
        XCTAssertEqual(bad.code, -32000)
        XCTAssertNil(bad.data)
    }
}
