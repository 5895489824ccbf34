import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// An in-process backend: a real chain and pool, with submissions sealed by the caller.
final class TestBackend: RPCBackend, @unchecked Sendable {
    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "Ankr/test"

    init(_ genesis: Genesis) throws {
        chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        mempool = Mempool(chainID: genesis.chainID)
    }

    func submit(_ transaction: Transaction) throws -> H256 {
        try mempool.add(transaction, state: chain.state(at: chain.head), head: chain.head)
    }
}

final class RPCEnvelopeTests: XCTestCase {
    let key = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))

    func table() throws -> (RPCMethodTable, TestBackend) {
        let backend = try TestBackend(Genesis(chainID: 7331, alloc: [key.address: .init(balance: UInt256(1_000_000))]))
        let t = RPCMethodTable(maxBatch: 5)
        EthNamespace(backend: backend).register(in: t)
        return (t, backend)
    }

    func call(_ t: RPCMethodTable, _ json: String) throws -> Any? {
        guard let data = t.handle(body: Data(json.utf8)) else { return nil }
        return try JSONSerialization.jsonObject(with: data)
    }

    func errorCode(_ response: Any?) -> Int? { ((response as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int }

    func testEnvelopeRules() throws {
        let (t, _) = try table()
        XCTAssertEqual(errorCode(try call(t, "{")), -32700)
        XCTAssertEqual(errorCode(try call(t, "[]")), -32600)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}"#)), -32600)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":{},"method":"eth_chainId"}"#)), -32600)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_nothing"}"#)), -32601)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x12"]}"#)), -32602)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{}}"#)), -32602)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[1,2]}"#)), -32602)
        // A notification gets no answer; a batch answers each call that has an id.
        XCTAssertNil(try call(t, #"{"jsonrpc":"2.0","method":"eth_chainId"}"#))
        let batch = try XCTUnwrap(try call(t, #"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_chainId"},5]"#) as? [[String: Any]])
        XCTAssertEqual(batch.count, 2)
        XCTAssertEqual(batch[0]["result"] as? String, "0x1ca3")
        XCTAssertEqual(errorCode(batch[1]), -32600)
        let tooMany = "[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#, count: 6).joined(separator: ",") + "]"
        XCTAssertEqual(errorCode(try call(t, tooMany)), -32600)
    }

    func testUnknownThingsAreNullAndBalancesAreQuantities() throws {
        let (t, _) = try table()
        let r = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["\#(key.address)","latest"]}"#) as? [String: Any])
        XCTAssertEqual(r["result"] as? String, "0xf4240")
        for method in ["eth_getTransactionByHash", "eth_getTransactionReceipt"] {
            let r = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":["0x\#(String(repeating: "ab", count: 32))"]}"#) as? [String: Any])
            XCTAssertTrue(r["result"] is NSNull, method)
        }
        let b = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x99",false]}"#) as? [String: Any])
        XCTAssertTrue(b["result"] is NSNull)
    }

    func testRawTransactionErrorsAreClear() throws {
        let (t, backend) = try table()
        let tx = try Transaction.dynamicFee(chainID: 1, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                            gasLimit: 21_000, to: key.address, value: .one).signed(with: key)
        let r = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["\#(tx.encoded.hexPrefixed)"]}"#) as? [String: Any])
        let message = try XCTUnwrap((r["error"] as? [String: Any])?["message"] as? String)
        XCTAssertTrue(message.contains("wrong chain id: expected 7331, got 1"), message)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02c3"]}"#)), -32602)
        XCTAssertEqual(backend.mempool.count, 0)
    }

    func testHTTPLimitsAndKeepAlive() throws {
        let (t, _) = try table()
        var config = RPCServer.Configuration()
        config.port = 0
        config.maxBodyBytes = 1024
        config.corsOrigins = ["*"]
        let server = try RPCServer(configuration: config, table: t)
        defer { server.shutdown() }
        func post(_ body: Data) throws -> (Int, Data, [AnyHashable: Any]) {
            var req = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)")!)
            req.httpMethod = "POST"
            req.httpBody = body
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var out: (Int, Data, [AnyHashable: Any]) = (0, Data(), [:])
            URLSession.shared.dataTask(with: req) { data, response, _ in
                let http = response as? HTTPURLResponse
                out = (http?.statusCode ?? 0, data ?? Data(), http?.allHeaderFields ?? [:])
                done.signal()
            }.resume()
            done.wait()
            return out
        }
        let ok = try post(Data(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#.utf8))
        XCTAssertEqual(ok.0, 200)
        XCTAssertTrue(String(decoding: ok.1, as: UTF8.self).contains("0x1ca3"))
        XCTAssertEqual(ok.2["Access-Control-Allow-Origin"] as? String, "*")
        XCTAssertEqual(try post(Data(repeating: 0x20, count: 4096)).0, 413)
        XCTAssertEqual(try post(Data(#"{"jsonrpc":"2.0","id":2,"method":"eth_chainId"}"#.utf8)).0, 200)
        XCTAssertThrowsError(try RPCServer(configuration: { var c = config; c.port = server.port; return c }(), table: t)) {
            XCTAssertTrue("\($0)".contains("in use"), "\($0)")
        }
    }
}
