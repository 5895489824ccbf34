import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTestSupport
import AnkrTrie
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// A backend over a chain a test builds itself (with its system contracts); submissions only hash.
final class ChainBackend: RPCBackend, @unchecked Sendable {
    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "test"
    init(_ c: Blockchain) { chain = c; mempool = Mempool(chainID: c.chainID, systemContracts: c.executor.systemContracts) }
    func submit(_ transaction: Transaction) throws -> H256 { transaction.hash }
}

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

    func call(_ t: RPCMethodTable, _ json: String) throws -> JSON? {
        guard let data = t.handle(body: Data(json.utf8)) else { return nil }
        return try JSON(parsing: data)
    }

    func errorCode(_ response: JSON?) -> Int64? { response?["error"]?["code"]?.int }

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
        let batch = try XCTUnwrap(try call(t, #"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_chainId"},5]"#)?.array)
        XCTAssertEqual(batch.count, 2)
        XCTAssertEqual(batch[0]["result"], "0x1ca3")
        XCTAssertEqual(errorCode(batch[1]), -32600)
        let tooMany = "[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#, count: 6).joined(separator: ",") + "]"
        XCTAssertEqual(errorCode(try call(t, tooMany)), -32600)
    }

    func testIdsAreEchoedAndOnlyNotificationsGetNoAnswer() throws {
        let (t, _) = try table()
        // Each id comes back as it was sent: string, integer, null.
        let answers = try XCTUnwrap(try call(t, #"[{"jsonrpc":"2.0","id":"a-1","method":"eth_chainId"},{"jsonrpc":"2.0","id":7,"method":"eth_chainId"},{"jsonrpc":"2.0","id":null,"method":"eth_chainId"}]"#)?.array)
        XCTAssertEqual(answers.map { $0["id"] }, ["a-1", 7, .null])
        XCTAssertEqual(answers.map { $0["jsonrpc"] }, ["2.0", "2.0", "2.0"])
        // A batch of notifications, even failing ones, has no answer at all.
        XCTAssertNil(t.handle(body: Data(#"[{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_nothing"}]"#.utf8)))
        XCTAssertNil(t.handle(body: Data(#"{"jsonrpc":"2.0","method":"eth_getBalance","params":["bad"]}"#.utf8)))
        // Unparsable bodies and bare scalars are parse errors with a null id; the answer is exact JSON-RPC.
        for body in ["{", "5", "\"eth_chainId\"", "", "[1,"] {
            let answer = try XCTUnwrap(t.handle(body: Data(body.utf8)), body)
            XCTAssertEqual(String(decoding: answer, as: UTF8.self),
                           #"{"error":{"code":-32700,"message":"parse error: the body is not valid JSON"},"id":null,"jsonrpc":"2.0"}"#, body)
        }
        // A result is written compactly with the envelope's members.
        XCTAssertEqual(String(decoding: try XCTUnwrap(t.handle(body: Data(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#.utf8))), as: UTF8.self),
                       #"{"id":1,"jsonrpc":"2.0","result":"0x1ca3"}"#)
        // Params must be an array when present; null counts as none.
        XCTAssertEqual(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":null}"#)?["result"], "0x1ca3")
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":"x"}"#)), -32602)
        XCTAssertEqual(errorCode(try call(t, #"{"jsonrpc":"2.0","id":1,"method":7}"#)), -32600)
    }

    func testUnknownThingsAreNullAndBalancesAreQuantities() throws {
        let (t, _) = try table()
        let r = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["\#(key.address)","latest"]}"#))
        XCTAssertEqual(r["result"], "0xf4240")
        for method in ["eth_getTransactionByHash", "eth_getTransactionReceipt"] {
            let r = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":["0x\#(String(repeating: "ab", count: 32))"]}"#))
            XCTAssertEqual(r["result"], .null, method)
        }
        let b = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x99",false]}"#))
        XCTAssertEqual(b["result"], .null)
    }

    func testRawTransactionErrorsAreClear() throws {
        let (t, backend) = try table()
        let tx = try Transaction.dynamicFee(chainID: 1, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                            gasLimit: 21_000, to: key.address, value: .one).signed(with: key)
        let r = try XCTUnwrap(try call(t, #"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["\#(tx.encoded.hexPrefixed)"]}"#))
        let message = try XCTUnwrap(r["error"]?["message"]?.string)
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

/// eth_getLogs, eth_call and eth_estimateGas against a chain with a (test-only) system contract.
final class RPCLogsAndCallsTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let carol = try! PrivateKey(hex: "0x" + String(repeating: "c1", count: 32))

    func testLogsFilterByAddressTopicsAndRange() throws {
        let counter = CounterContract()
        let g = Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000)),
                                               carol.address: .init(balance: UInt256(1_000_000_000_000_000_000))])
        let chain = try Blockchain(database: ChainDatabase(), genesis: g, systemContracts: SystemContractRegistry([counter]))
        let t = RPCMethodTable()
        EthNamespace(backend: ChainBackend(chain)).register(in: t)
        func rpc(_ method: String, _ params: String) throws -> JSON {
            let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
            return try JSON(parsing: XCTUnwrap(t.handle(body: Data(body.utf8))))
        }
        func inc(_ key: PrivateKey, _ nonce: UInt64, _ by: UInt64) throws -> (Transaction, Address) {
            (try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                        gasLimit: 60_000, to: counter.address, value: .zero,
                                        data: ABI.encodeCall("increment(uint256)", [.uint(UInt256(by))])).signed(with: key), key.address)
        }
        for batch in [[try inc(alice, 0, 1), try inc(carol, 0, 2)], [try inc(alice, 1, 3)]] {
            try chain.importBlock(try chain.produceBlock(candidates: batch, coinbase: .zero, timestamp: chain.head.timestamp + 1).block)
        }
        let topic0 = CounterContract.incremented.description
        let aliceTopic = "0x" + String(repeating: "0", count: 24) + alice.address.bytes.hex
        let carolTopic = "0x" + String(repeating: "0", count: 24) + carol.address.bytes.hex

        let all = try XCTUnwrap(try rpc("eth_getLogs", #"[{"fromBlock":"0x0","toBlock":"latest"}]"#)["result"]?.array)
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(all.map { $0["logIndex"] }, ["0x0", "0x1", "0x0"])
        XCTAssertEqual(all.map { $0["blockNumber"] }, ["0x1", "0x1", "0x2"])
        let byAlice = try XCTUnwrap(try rpc("eth_getLogs", #"[{"fromBlock":"earliest","address":["\#(counter.address)"],"topics":["\#(topic0)","\#(aliceTopic)"]}]"#)["result"]?.array)
        XCTAssertEqual(byAlice.count, 2)
        let either = try XCTUnwrap(try rpc("eth_getLogs", #"[{"fromBlock":"0x1","toBlock":"0x1","topics":[null,["\#(aliceTopic)","\#(carolTopic)"]]}]"#)["result"]?.array)
        XCTAssertEqual(either.count, 2)
        let elsewhere = try XCTUnwrap(try rpc("eth_getLogs", #"[{"fromBlock":"0x0","address":"\#(alice.address)"}]"#)["result"]?.array)
        XCTAssertTrue(elsewhere.isEmpty)
        let block2 = try XCTUnwrap(chain.header(number: 2)).hash
        let one = try XCTUnwrap(try rpc("eth_getLogs", #"[{"blockHash":"\#(block2)"}]"#)["result"]?.array)
        XCTAssertEqual(one.first?["data"]?.string, "0x" + String(repeating: "0", count: 63) + "6")
        XCTAssertNotNil(try rpc("eth_getLogs", #"[{"blockHash":"\#(block2)","fromBlock":"0x1"}]"#)["error"])

        // eth_call reads through the native contract without changing state; a revert is code 3.
        let call = try ABI.encodeCall("increment(uint256)", [.uint(UInt256(10))]).hexPrefixed
        XCTAssertEqual(try rpc("eth_call", #"[{"to":"\#(counter.address)","data":"\#(call)"},"latest"]"#)["result"]?.string,
                       "0x" + String(repeating: "0", count: 62) + "10")
        XCTAssertEqual(try chain.state(at: chain.head).storage(counter.address, slot: .zero), UInt256(6))
        let estimate = try XCTUnwrap(try rpc("eth_estimateGas", #"[{"to":"\#(counter.address)","data":"\#(call)"}]"#)["result"]?.string)
        XCTAssertGreaterThan(try UInt256(parsing: estimate), UInt256(26_000))
        let fail = try ABI.selector("fail()").hexPrefixed
        let reverted = try XCTUnwrap(try rpc("eth_call", #"[{"to":"\#(counter.address)","data":"\#(fail)"}]"#)["error"])
        XCTAssertEqual(reverted["code"], 3)
        XCTAssertEqual(reverted["message"], "execution reverted: always fails")
        // The receipt of a system-contract call carries its log.
        let txHash = try XCTUnwrap(chain.block(hash: block2)?.transactions.first?.hash)
        let receipt = try XCTUnwrap(try rpc("eth_getTransactionReceipt", #"["\#(txHash)"]"#)["result"])
        XCTAssertEqual(receipt["logs"]?.array?.count, 1)
        XCTAssertEqual(receipt["status"], "0x1")

        // eth_getProof: the account proof verifies against the header's state root, and so does
        // the contract's storage proof against its storage hash.
        let proof = try XCTUnwrap(try rpc("eth_getProof", #"["\#(counter.address)",["0x0"],"latest"]"#)["result"])
        let accountProof = try XCTUnwrap(proof["accountProof"]?.array).map { try [UInt8](hex: XCTUnwrap($0.string)) }
        let encoded = try XCTUnwrap(try SecureMerklePatriciaTrie.verifyProof(root: chain.head.stateRoot, key: counter.address.bytes, proof: accountProof))
        let account = try Account(encoded: encoded)
        XCTAssertEqual(proof["storageHash"], .string(account.storageRoot.description))
        let slot = try XCTUnwrap(proof["storageProof"]?[0])
        XCTAssertEqual(slot["value"], "0x6")
        let storageProof = try XCTUnwrap(slot["proof"]?.array).map { try [UInt8](hex: XCTUnwrap($0.string)) }
        let stored = try SecureMerklePatriciaTrie.verifyProof(root: account.storageRoot, key: H256.zero.bytes, proof: storageProof)
        XCTAssertEqual(stored, RLP.encode(.uint(UInt256(6))))
    }
}
