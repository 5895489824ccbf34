import AnkrPrimitives
import AnkrRPC
import Foundation
import XCTest

/// A node may be buggy or hostile: every reply of the wrong shape (a number for a string, bad hex, a
/// quantity past its range, a missing member, not JSON-RPC at all) becomes a typed error, never a trap.
final class EthClientHostileReplyTests: XCTestCase {
    /// Answers POSTs under `/raw/<name>` with fixed bodies: replies that are not JSON-RPC.
    private struct RawReplies: HTTPService {
        let bodies: [String: String]
        var pathPrefix: String { "/raw" }
        func respond(to request: HTTPServiceRequest) -> HTTPServiceResponse {
            HTTPServiceResponse(status: 200, body: Data((bodies[String(request.path.dropFirst("/raw/".count))] ?? "").utf8))
        }
    }

    private var server: RPCServer?
    private var base = ""

    /// A server whose `eth_` methods answer `results[method]`.
    private func serve(_ results: [String: JSON], raw: [String: String] = [:]) throws -> EthClient {
        var limits = RPCLimits()
        limits.apis = ["eth", "net", "web3"]
        let table = RPCMethodTable(limits: limits)
        for (method, result) in results { table.register(method) { _ in result } }
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: table, services: [RawReplies(bodies: raw)])
        self.server = server
        base = "http://127.0.0.1:\(server.port)"
        return EthClient(url: try XCTUnwrap(URL(string: base)), timeout: 10)
    }

    override func tearDown() { server?.shutdown() }

    private func assertUnexpected<T>(_ body: @autoclosure () throws -> T, path: String, expected: String,
                                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case .unexpected(let p, let e, _)? = error as? RPCClientError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(p, path, file: file, line: line)
            XCTAssertEqual(e, expected, file: file, line: line)
        }
    }

    func testWrongTypesBadHexAndOverlongNumbersAreTypedErrors() throws {
        let word = "0x" + String(repeating: "ab", count: 32)
        let client = try serve([
            "eth_chainId": 5,
            "eth_blockNumber": .string("0x1" + String(repeating: "0", count: 16)),
            "eth_getBalance": .string("0x1" + String(repeating: "0", count: 64)),
            "eth_getTransactionCount": "0xzz",
            "eth_getCode": "0x123",
            "eth_gasPrice": "12",
            "eth_maxPriorityFeePerGas": "0x",
            "eth_sendRawTransaction": "0x1234567890123456789012345678901234567890",
            "eth_getLogs": ["address": "0x0"],
            "eth_getTransactionReceipt": [
                "transactionHash": .string(word), "transactionIndex": "0x0", "blockHash": .string(word), "blockNumber": "0x1",
                "from": "0x00000000000000000000000000000000000000aa", "to": .null, "cumulativeGasUsed": "0x5208", "gasUsed": "0x5208",
                "effectiveGasPrice": "0x1", "status": "0x2", "logs": [],
            ],
            "eth_getBlockByNumber": ["number": "0x1"],
            "eth_getTransactionByHash": [1, 2],
            "net_peerCount": true,
        ])
        assertUnexpected(try client.chainID(), path: "eth_chainId", expected: "a hex quantity")
        assertUnexpected(try client.blockNumber(), path: "eth_blockNumber", expected: "a quantity below 2^64")
        assertUnexpected(try client.balance(of: .zero), path: "eth_getBalance", expected: "a hex quantity")
        assertUnexpected(try client.nonce(of: .zero), path: "eth_getTransactionCount", expected: "a hex quantity")
        assertUnexpected(try client.code(at: .zero), path: "eth_getCode", expected: "0x-prefixed hex bytes")
        assertUnexpected(try client.gasPrice(), path: "eth_gasPrice", expected: "a hex quantity")
        assertUnexpected(try client.maxPriorityFee(), path: "eth_maxPriorityFeePerGas", expected: "a hex quantity")
        assertUnexpected(try client.sendRawTransaction([1]), path: "eth_sendRawTransaction", expected: "a 32-byte hex string")
        assertUnexpected(try client.logs(.init()), path: "eth_getLogs", expected: "an array")
        assertUnexpected(try client.receipt(.zero), path: "eth_getTransactionReceipt.status", expected: "0x0 or 0x1")
        assertUnexpected(try client.block(number: .latest), path: "eth_getBlockByNumber.hash", expected: "a value")
        assertUnexpected(try client.transaction(.zero), path: "eth_getTransactionByHash", expected: "an object")
        assertUnexpected(try client.peerCount(), path: "net_peerCount", expected: "a hex quantity")
        XCTAssertEqual("\(RPCClientError.unexpected(path: "eth_chainId", expected: "a hex quantity", found: "a number"))",
                       "the node sent a malformed reply: eth_chainId is a number, expected a hex quantity")
    }

    func testNestedValuesAreCheckedWhereTheyAre() throws {
        let word = "0x" + String(repeating: "ab", count: 32)
        let log: JSON = ["address": "0x00000000000000000000000000000000000000aa", "topics": [.string(word), "0x12"], "data": "0x",
                         "blockNumber": "0x1", "blockHash": .string(word), "transactionHash": .string(word), "transactionIndex": "0x0",
                         "logIndex": "0x0"]
        let client = try serve(["eth_getLogs": [log]])
        assertUnexpected(try client.logs(.init()), path: "eth_getLogs[0].topics[1]", expected: "a 32-byte hex string")
    }

    func testRepliesThatAreNotJSONRPCAreMalformed() throws {
        _ = try serve([:], raw: ["text": "hello", "scalar": "5", "noresult": #"{"jsonrpc":"2.0","id":1}"#,
                                  "nulled": #"{"jsonrpc":"2.0","id":1,"result":null}"#,
                                  "oddError": #"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":7}}"#,
                                  "deep": String(repeating: "[", count: 100_000)])
        func client(_ name: String) throws -> RPCClient { RPCClient(url: try XCTUnwrap(URL(string: "\(base)/raw/\(name)")), timeout: 10) }
        for name in ["text", "scalar", "deep"] {
            XCTAssertThrowsError(try client(name).call("eth_chainId", [])) { XCTAssertEqual($0 as? RPCClientError, .malformedReply("not a JSON object"), name) }
        }
        XCTAssertThrowsError(try client("noresult").call("eth_chainId", [])) { XCTAssertEqual($0 as? RPCClientError, .malformedReply("no result")) }
        XCTAssertEqual(try client("nulled").call("eth_getTransactionReceipt", []), .null)
        XCTAssertNil(try EthClient(rpc: client("nulled")).receipt(.zero))
        XCTAssertThrowsError(try client("oddError").call("eth_chainId", [])) {
            XCTAssertEqual($0 as? RPCClientError, .rpc(RPCError(code: 0, message: "unknown error")))
        }
        XCTAssertThrowsError(try RPCClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:1")), timeout: 5).call("eth_chainId", [])) {
            XCTAssertEqual($0 as? RPCClientError, .unreachable(url: "http://127.0.0.1:1", reason: "connection refused"))
        }
    }
}
