import AnkrAssets
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

/// A chain with the Assets contract whose pool is filled by the API; the test mines.
final class AssetChainBackend: RPCBackend, @unchecked Sendable {
    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "test"

    init(_ genesis: Genesis) throws {
        let contracts = SystemContractRegistry([AssetsContract()])
        chain = try Blockchain(database: ChainDatabase(), genesis: genesis, systemContracts: contracts)
        mempool = Mempool(chainID: genesis.chainID, systemContracts: contracts)
    }

    func submit(_ transaction: Transaction) throws -> H256 {
        try mempool.add(transaction, state: chain.state(at: chain.head), head: chain.head)
    }

    /// Mines everything pending; returns whether each transaction succeeded.
    @discardableResult
    func mine() throws -> [Bool] {
        let head = chain.head
        let pending = try mempool.pending(state: chain.state(at: head), baseFee: head.baseFeePerGas)
        let block = try chain.produceBlock(candidates: pending, coinbase: .zero, timestamp: head.timestamp + 1).block
        try chain.importBlock(block)
        try mempool.update(state: chain.state(at: chain.head), head: chain.head, orphaned: [])
        return try XCTUnwrap(try chain.receipts(blockHash: block.hash)).map(\.succeeded)
    }
}

/// The REST asset API on a real server: signed transactions as authentication, every refusal with
/// its status code, and GET showing what was mined.
final class AssetAPITests: XCTestCase {
    let owner = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let buyer = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    var backend: AssetChainBackend!
    var server: RPCServer!
    var nonces: [Address: UInt64] = [:]

    override func setUpWithError() throws {
        let rich = Genesis.Allocation(balance: UInt256(10).power(18))
        backend = try AssetChainBackend(Genesis(chainID: 7331, alloc: [owner.address: rich, buyer.address: rich]))
        var config = RPCServer.Configuration()
        config.port = 0
        config.maxBodyBytes = 4096
        server = try RPCServer(configuration: config, table: RPCMethodTable(), services: [AssetAPI(backend: backend)])
    }

    override func tearDown() { server.shutdown() }

    func request(_ method: String, _ path: String, _ body: String? = nil) throws -> (status: Int, json: JSON) {
        var req = URLRequest(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)\(path)")))
        req.httpMethod = method
        req.httpBody = body.map { Data($0.utf8) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var out: (Int, Data) = (0, Data())
        URLSession.shared.dataTask(with: req) { data, response, _ in
            out = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data())
            done.signal()
        }.resume()
        done.wait()
        return (out.0, (try? JSON(parsing: out.1)) ?? [:])
    }

    /// `{"transaction": …}` calling `signature` on `to` (the Assets contract unless given), signed by `key`.
    func signed(_ key: PrivateKey, _ signature: String, _ args: [ABIValue], to: Address = AssetsContract.address, chainID: UInt64 = 7331,
                value: UInt256 = .zero) throws -> String {
        let nonce = nonces[key.address, default: 0]
        let tx = try Transaction.dynamicFee(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10).power(10),
                                            gasLimit: 500_000, to: to, value: value, data: ABI.encodeCall(signature, args)).signed(with: key)
        return #"{"transaction":"\#(tx.encoded.hexPrefixed)"}"#
    }

    func put(_ key: PrivateKey, _ id: UInt64, _ metadata: UInt8) throws -> String {
        try signed(key, "put(uint256,bytes32,uint256)", [.uint(UInt256(id)), .fixedBytes([UInt8](repeating: metadata, count: 32)), .uint(.zero)])
    }

    func accepted(_ r: (status: Int, json: JSON), _ key: PrivateKey, line: UInt = #line) {
        XCTAssertEqual(r.status, 202, r.json.text, line: line)
        XCTAssertNotNil(r.json["transactionHash"]?.string, line: line)
        nonces[key.address, default: 0] += 1
    }

    func message(_ r: (status: Int, json: JSON)) -> String { r.json["error"]?["message"]?.string ?? "" }

    func testTheWholeLifecycleThroughREST() throws {
        XCTAssertEqual(try request("GET", "/v1/assets/42").status, 404)
        accepted(try request("PUT", "/v1/assets/42", try put(owner, 42, 1)), owner)
        XCTAssertEqual(try backend.mine(), [true])
        var got = try request("GET", "/v1/assets/42")
        XCTAssertEqual(got.status, 200)
        XCTAssertEqual(got.json["owner"]?.string, owner.address.checksummed)
        XCTAssertEqual(got.json["status"]?.string, "active")
        XCTAssertEqual(got.json["metadataHash"]?.string, [UInt8](repeating: 1, count: 32).hexPrefixed)
        XCTAssertEqual(try request("GET", "/v1/assets/0x2a").json["owner"]?.string, owner.address.checksummed, "hex ids name the same asset")

        // Someone else's signature cannot change it: refused before it reaches the pool.
        let stolen = try request("PUT", "/v1/assets/42", try put(buyer, 42, 9))
        XCTAssertEqual(stolen.status, 403)
        XCTAssertTrue(message(stolen).contains("belongs to"), message(stolen))
        XCTAssertEqual(try request("DELETE", "/v1/assets/42", try signed(buyer, "burn(uint256)", [.uint(UInt256(42))])).status, 403)

        accepted(try request("POST", "/v1/assets/42/transfer", try signed(owner, "transfer(uint256,address)", [.uint(UInt256(42)), .address(buyer.address)])), owner)
        XCTAssertEqual(try backend.mine(), [true])
        accepted(try request("DELETE", "/v1/assets/42", try signed(buyer, "burn(uint256)", [.uint(UInt256(42))])), buyer)
        XCTAssertEqual(try backend.mine(), [true])
        got = try request("GET", "/v1/assets/42")
        XCTAssertEqual(got.json["status"]?.string, "burned")
        XCTAssertEqual(got.json["owner"]?.string, buyer.address.checksummed)
        let history = try XCTUnwrap(got.json["history"]?.array)
        XCTAssertEqual(history.map { $0["change"]?.string }, ["promoted", "transferred", "burned"])
        XCTAssertEqual(history[1]["to"]?.string, buyer.address.checksummed)
        XCTAssertEqual(history.map { $0["block"] }, [1, 2, 3], "block numbers are JSON integers")
        XCTAssertEqual(try request("PUT", "/v1/assets/42", try put(owner, 42, 2)).status, 410)
    }

    func testRequestsThatAreNotTheirTransactionAreRefused() throws {
        let cases: [(String, String, String?, Int, String)] = [
            ("PUT", "/v1/assets/1", "{", 400, "JSON object"),
            ("PUT", "/v1/assets/1", #"{"transaction":"0xzz"}"#, 400, "0x-hex"),
            ("PUT", "/v1/assets/1", #"{"transaction":"0x02c0"}"#, 400, "invalid transaction"),
            ("PUT", "/v1/assets/1", try put(owner, 2, 1), 400, "another asset id"),
            ("PUT", "/v1/assets/1", try signed(owner, "burn(uint256)", [.uint(.one)]), 400, "must call put"),
            ("PUT", "/v1/assets/1", try signed(owner, "put(uint256,bytes32,uint256)", [.uint(.one), .fixedBytes([UInt8](repeating: 1, count: 32)), .uint(.zero)],
                                               to: try Address(hex: "0x00000000000000000000000000000000000a0004")), 400, "Assets contract"),
            ("PUT", "/v1/assets/1", try signed(owner, "put(uint256,bytes32,uint256)", [.uint(.one), .fixedBytes([UInt8](repeating: 1, count: 32)), .uint(.zero)],
                                               chainID: 1), 400, "chain"),
            ("PUT", "/v1/assets/1", try signed(owner, "put(uint256,bytes32,uint256)", [.uint(.one), .fixedBytes([UInt8](repeating: 1, count: 32)), .uint(.zero)],
                                               value: .one), 400, "value"),
            ("POST", "/v1/assets/1/transfer", try signed(owner, "transfer(uint256,address)", [.uint(.one), .address(buyer.address)]), 404, "no asset"),
            ("PUT", "/v1/assets/\(AssetsContract.reservedID(for: buyer.address))",
             try signed(owner, "put(uint256,bytes32,uint256)", [.uint(AssetsContract.reservedID(for: buyer.address)), .fixedBytes([UInt8](repeating: 1, count: 32)), .uint(.zero)]),
             403, "reserved for"),
            ("GET", "/v1/assets/apartment-12", nil, 400, "decimal or 0x-hex"),
            ("GET", "/v1/assets/" + String(repeating: "9", count: 79), nil, 400, "below 2^256"),
            ("GET", "/v1/assets/1/owner", nil, 404, "no such resource"),
            ("GET", "/v1/assets", nil, 404, "no such resource"),
            ("PATCH", "/v1/assets/1", "{}", 405, "not allowed"),
            ("PUT", "/v1/assets/1", String(repeating: " ", count: 5000), 413, "exceeds"),
        ]
        for (method, path, body, status, text) in cases {
            let r = try request(method, path, body)
            XCTAssertEqual(r.status, status, "\(method) \(path): \(r.json.text)")
            XCTAssertTrue(message(r).contains(text), "\(method) \(path): \(message(r))")
        }
        // A replayed transaction is the pool's duplicate, not a second change.
        let body = try put(owner, 5, 1)
        accepted(try request("PUT", "/v1/assets/5", body), owner)
        XCTAssertEqual(try request("PUT", "/v1/assets/5", body).status, 409)
        XCTAssertEqual(try backend.mine(), [true])
        XCTAssertEqual(try request("PUT", "/v1/assets/5", body).status, 409, "a mined nonce cannot be replayed")
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// openapi/assets.json describes exactly the routes served, with the statuses they answer.
    func testTheOpenAPIDescriptionMatchesTheServer() throws {
        let doc = try JSON(parsing: Data(contentsOf: Self.repository.appendingPathComponent("openapi/assets.json")))
        XCTAssertEqual(doc["openapi"]?.string?.hasPrefix("3."), true)
        let paths = try XCTUnwrap(doc["paths"]?.object).mapValues { $0.object ?? [:] }
        let routes = Set(paths.flatMap { path, ops in ops.keys.map { "\($0.uppercased()) \(path)" } })
        XCTAssertEqual(routes, ["GET /v1/assets/{id}", "PUT /v1/assets/{id}", "DELETE /v1/assets/{id}", "POST /v1/assets/{id}/transfer"])
        for (path, ops) in paths {
            for (method, op) in ops {
                let statuses = Set((op["responses"]?.object ?? [:]).keys)
                let expected: Set<String> = method == "get" ? ["200", "400", "404"] : ["202", "400", "403", "409", "410", "413"]
                XCTAssertTrue(expected.isSubset(of: statuses), "\(method) \(path): \(statuses.sorted())")
            }
        }
        XCTAssertEqual(try String(contentsOf: Self.repository.appendingPathComponent("abi/Assets.json"), encoding: .utf8), AssetsContract.interface.json,
                       "regenerate with `ankr asset abi > abi/Assets.json`")
    }
}
