import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// What the explorer reads: decoded system-contract calls and events, an account's recent
/// transactions, the contract list; and the pages and metrics hook of the HTTP server.
final class ExplorerMethodsTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! Address(hex: "0x3535353535353535353535353535353535353535")

    func testTransactionsAreDecodedAndAccountsListTheirTransactions() throws {
        let counter = CounterContract()
        let chain = try Blockchain(database: ChainDatabase(),
                                   genesis: Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]),
                                   systemContracts: SystemContractRegistry([counter]))
        func tx(_ nonce: UInt64, to: Address, data: [UInt8] = []) throws -> (Transaction, Address) {
            (try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                        gasLimit: 60_000, to: to, value: .one, data: data).signed(with: alice), alice.address)
        }
        let call = try tx(0, to: counter.address, data: ABI.encodeCall("increment(uint256)", [.uint(UInt256(41))]))
        let transfer = try tx(1, to: bob)
        try chain.importBlock(try chain.produceBlock(candidates: [call], coinbase: .zero, timestamp: 1).block)
        try chain.importBlock(try chain.produceBlock(candidates: [transfer], coinbase: .zero, timestamp: 2).block)
        let t = RPCMethodTable()
        AnkrNamespace(backend: ChainBackend(chain)).register(in: t)
        func rpc(_ method: String, _ params: String) throws -> JSON {
            let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
            return try JSON(parsing: XCTUnwrap(t.handle(body: Data(body.utf8))))
        }

        let decoded = try XCTUnwrap(try rpc("ankr_decodeTransaction", #"["\#(call.0.hash)"]"#)["result"])
        XCTAssertEqual(decoded["contract"]?.string, "Counter")
        XCTAssertEqual(decoded["function"]?.string, "increment(uint256)")
        let args = try XCTUnwrap(decoded["arguments"]?.array)
        XCTAssertEqual(args.first?["name"]?.string, "by")
        XCTAssertEqual(args.first?["value"]?.string, "41")
        let event = try XCTUnwrap((decoded["events"]?.array)?.first)
        XCTAssertEqual(event["event"]?.string, "Incremented")
        let eventArgs = try XCTUnwrap(event["arguments"]?.array)
        XCTAssertEqual(eventArgs.map { $0["value"]?.string }, [alice.address.checksummed, "41"], "indexed from the topics, the rest from data")

        let plain = try XCTUnwrap(try rpc("ankr_decodeTransaction", #"["\#(transfer.0.hash)"]"#)["result"])
        XCTAssertTrue(plain["contract"] == .null)
        XCTAssertTrue(try rpc("ankr_decodeTransaction", #"["0x\#(String(repeating: "00", count: 32))"]"#)["result"] == .null)

        let mine = try XCTUnwrap(try rpc("ankr_accountTransactions", #"["\#(alice.address)"]"#)["result"])
        XCTAssertEqual((mine["transactions"]?.array)?.map { $0["hash"]?.string },
                       [transfer.0.hash.description, call.0.hash.description], "newest first")
        XCTAssertEqual(mine["scannedBlocks"]?.string, "0x3")
        XCTAssertTrue(mine["next"] == .null, "the scan reached genesis")
        let bobs = try XCTUnwrap(try rpc("ankr_accountTransactions", #"["\#(bob)",{"limit":"0x1"}]"#)["result"])
        XCTAssertEqual((bobs["transactions"]?.array)?.count, 1)
        XCTAssertEqual(((try rpc("ankr_accountTransactions", #"["\#(bob)",{"blocks":"0x0"}]"#))["error"])?["code"]?.int, -32602)
        XCTAssertEqual(((try rpc("ankr_accountTransactions", #"["\#(bob)",{"blocks":"0x3e9"}]"#))["error"])?["code"]?.int, -32602)
        XCTAssertEqual(((try rpc("ankr_accountTransactions", #"["not an address"]"#))["error"])?["code"]?.int, -32602)

        let contracts = try XCTUnwrap(try rpc("ankr_systemContracts", "[]")["result"]?.array)
        XCTAssertEqual(contracts.first?["name"]?.string, "Counter")
        XCTAssertEqual((contracts.first?["abi"]?.array)?.count, 3)
    }

    func testAccountTransactionsExamineABoundedNumberPerCallAndResumeWhereTheyStopped() throws {
        let chain = try Blockchain(database: ChainDatabase(),
                                   genesis: Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]))
        // 2,500 transfers in two blocks; only the very first goes to bob.
        let carol = try Address(hex: "0xc1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1")
        let transfers = try (0..<2_500).map { nonce in
            (try Transaction.dynamicFee(chainID: 7331, nonce: UInt64(nonce), maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                        gasLimit: 21_000, to: nonce == 0 ? bob : carol, value: .one).signed(with: alice), alice.address)
        }
        for (i, part) in [transfers[..<1_250], transfers[1_250...]].enumerated() {
            let produced = try chain.produceBlock(candidates: Array(part), coinbase: .zero, timestamp: UInt64(i + 1))
            XCTAssertTrue(produced.rejected.isEmpty)
            try chain.importBlock(produced.block)
        }
        let t = RPCMethodTable()
        AnkrNamespace(backend: ChainBackend(chain)).register(in: t)
        func rpc(_ params: String) throws -> JSON {
            let body = #"{"jsonrpc":"2.0","id":1,"method":"ankr_accountTransactions","params":\#(params)}"#
            let answer = try JSON(parsing: XCTUnwrap(t.handle(body: Data(body.utf8))))
            return try XCTUnwrap(answer["result"], "\(answer)")
        }
        func hashes(_ r: JSON) -> [String] { r["transactions"]?.array?.compactMap { $0["hash"]?.string } ?? [] }

        // One call recovers at most 2,000 senders: it stops inside block 1 and says where to go on.
        let started = ContinuousClock.now
        let first = try rpc(#"["\#(bob)"]"#)
        let took = ContinuousClock.now - started
        XCTAssertEqual(hashes(first), [])
        XCTAssertEqual(first["scannedBlocks"]?.string, "0x2")
        let next = try XCTUnwrap(first["next"])
        XCTAssertEqual(next["fromBlock"]?.string, "0x1")
        XCTAssertEqual(next["fromIndex"], RPCFormat.q(1_249 - (2_000 - 1_250)))
        XCTAssertLessThan(took, .seconds(5))
        let second = try rpc(#"["\#(bob)",{"fromBlock":"0x1","fromIndex":"\#(next["fromIndex"]?.string ?? "")"}]"#)
        XCTAssertEqual(hashes(second), [transfers[0].0.hash.description])
        XCTAssertTrue(second["next"] == .null)

        // Paging through alice's 2,500 with a limit gives each transaction once, newest first.
        var seen = [String]()
        var cursor = ""
        for _ in 0..<10 {
            let page = try rpc(#"["\#(alice.address)",{"limit":"0x1f4"\#(cursor)}]"#)
            seen += hashes(page)
            guard let n = page["next"], let block = n["fromBlock"]?.string else { break }
            cursor = #","fromBlock":"\#(block)""# + ((n["fromIndex"]?.string).map { #","fromIndex":"\#($0)""# } ?? "")
        }
        XCTAssertEqual(seen, transfers.reversed().map { $0.0.hash.description })

        let bad = try JSON(parsing: XCTUnwrap(t.handle(body: Data(
            #"{"jsonrpc":"2.0","id":1,"method":"ankr_accountTransactions","params":["\#(bob)",{"fromIndex":"0x1"}]}"#.utf8))))
        XCTAssertEqual((bad["error"])?["code"]?.int, -32602)
    }

    func testPagesAreServedOnGetAndCallsAreObserved() throws {
        final class Observed: RPCObserver, @unchecked Sendable {
            let lock = NSLock()
            var calls: [(String, Bool)] = []
            func observe(method: String, seconds: Double, failed: Bool) { lock.withLock { calls.append((method, failed)) } }
        }
        let observed = Observed()
        var limits = RPCLimits()
        limits.apis = ["ok", "boom"]
        let table = RPCMethodTable(limits: limits)
        table.register("ok") { _ in 1 }
        table.register("boom") { _ in throw RPCError.server("no") }
        table.observer = observed
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: table, routes: [
            HTTPRoute(path: "/page") { .init(contentType: "text/html; charset=utf-8", body: Data("<p>hi</p>".utf8)) },
            HTTPRoute(path: "/broken") { throw RPCError.server("cannot render") },
        ])
        defer { server.shutdown() }
        func request(_ method: String, _ path: String, body: String? = nil) -> (Int, String, String?) {
            var req = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
            req.httpMethod = method
            req.httpBody = body.map { Data($0.utf8) }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var out: (Int, String, String?) = (0, "", nil)
            URLSession.shared.dataTask(with: req) { data, response, _ in
                let http = response as? HTTPURLResponse
                out = (http?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self), http?.value(forHTTPHeaderField: "Content-Type"))
                done.signal()
            }.resume()
            done.wait()
            return out
        }
        let page = request("GET", "/page?x=1")
        XCTAssertEqual(page.0, 200)
        XCTAssertEqual(page.1, "<p>hi</p>")
        XCTAssertEqual(page.2, "text/html; charset=utf-8")
        XCTAssertEqual(request("GET", "/elsewhere").0, 405)
        XCTAssertEqual(request("GET", "/broken").0, 500)
        XCTAssertEqual(request("POST", "/", body: #"[{"jsonrpc":"2.0","id":1,"method":"ok"},{"jsonrpc":"2.0","id":2,"method":"boom"},{"jsonrpc":"2.0","id":3,"method":"nope"}]"#).0, 200)
        let calls = observed.lock.withLock { observed.calls }
        XCTAssertEqual(calls.map(\.0), ["ok", "boom"], "unknown method names are not observed (metric labels stay bounded)")
        XCTAssertEqual(calls.map(\.1), [false, true])
    }
}
