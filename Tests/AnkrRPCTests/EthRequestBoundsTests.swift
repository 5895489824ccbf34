import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import Foundation
import XCTest

/// A small request must not buy a huge reply or hours of hashing: `eth_getProof` keys, `eth_feeHistory`
/// percentiles and `eth_getLogs` alternatives are bounded and refused above the bound with -32602.
final class EthRequestBoundsTests: XCTestCase {
    func rpc(_ method: String, _ params: String) throws -> JSON {
        let backend = try TestBackend(Genesis(chainID: 7331))
        let t = RPCMethodTable()
        EthNamespace(backend: backend).register(in: t)
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        return try JSON(parsing: XCTUnwrap(t.handle(body: Data(body.utf8))))
    }

    func list(_ item: String, _ count: Int) -> String { "[" + Array(repeating: item, count: count).joined(separator: ",") + "]" }

    func testProofKeysAreBounded() throws {
        let address = "\"0x" + String(repeating: "11", count: 20) + "\""
        let ok = try rpc("eth_getProof", "[\(address),\(list("5", EthNamespace.maxProofKeys)),\"latest\"]")
        XCTAssertEqual(ok["result"]?["storageProof"]?.array?.count, EthNamespace.maxProofKeys, "\(ok)")
        let refused = try rpc("eth_getProof", "[\(address),\(list("5", EthNamespace.maxProofKeys + 1)),\"latest\"]")
        XCTAssertEqual(refused["error"]?["code"]?.int, -32602)
    }

    func testRewardPercentilesAreAtMostAHundredAndStrictlyIncreasing() throws {
        let hundred = "[" + (0..<100).map { String($0) }.joined(separator: ",") + "]"
        XCTAssertNotNil(try rpc("eth_feeHistory", "[\"0x1\",\"latest\",\(hundred)]")["result"])
        XCTAssertEqual(try rpc("eth_feeHistory", "[\"0x1\",\"latest\",\(list("50", 2))]")["error"]?["code"]?.int, -32602, "repeats")
        let many = "[" + (0..<101).map { String(Double($0) * 0.99) }.joined(separator: ",") + "]"
        XCTAssertEqual(try rpc("eth_feeHistory", "[\"0x1\",\"latest\",\(many)]")["error"]?["code"]?.int, -32602, "more than 100")
    }

    func testLogFilterAlternativesAreBounded() throws {
        func address(_ i: Int) -> String { "\"0x" + String(format: "%040x", i) + "\"" }
        let thousand = "[" + (0..<1000).map(address).joined(separator: ",") + "]"
        XCTAssertEqual(try rpc("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"address\":\(thousand)}]")["result"], .array([]))
        let more = "[" + (0..<1001).map(address).joined(separator: ",") + "]"
        XCTAssertEqual(try rpc("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"address\":\(more)}]")["error"]?["code"]?.int, -32602)
        let topic = "\"0x" + String(repeating: "22", count: 32) + "\""
        XCTAssertEqual(try rpc("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"topics\":[\(list(topic, 1001))]}]")["error"]?["code"]?.int, -32602)
    }
}
