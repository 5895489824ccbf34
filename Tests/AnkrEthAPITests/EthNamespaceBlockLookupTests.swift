import AnkrChain
import AnkrPrimitives
import AnkrRPC
import XCTest

/// Transactions by block and position, a block's receipts and transaction count, and the access list
/// no Ankr block has — with hostile block ids and indexes.
final class EthNamespaceBlockLookupTests: XCTestCase {
    func testBlockReceiptsMatchTheSingleReceiptsInOrder() throws {
        let c = try EthNamespaceTestChain()
        let hash = try XCTUnwrap(c.chain.header(number: 1)?.hash.description)
        for id in ["\"0x1\"", "\"\(hash)\"", "{\"blockHash\":\"\(hash)\"}"] {
            let receipts = try XCTUnwrap(c.result("eth_getBlockReceipts", "[\(id)]").array, id)
            XCTAssertEqual(receipts.count, 2)
            for (i, tx) in c.block1.enumerated() {
                XCTAssertEqual(receipts[i], try c.result("eth_getTransactionReceipt", "[\"\(tx.hash)\"]"))
            }
        }
        let first = try c.result("eth_getBlockReceipts", "[\"0x1\"]")[0]
        XCTAssertEqual(first?["logs"]?[0]?["topics"], .array([.string(EthNamespaceTestChain.topic.description)]))
        XCTAssertEqual(first?["logs"]?[0]?["blockTimestamp"], try c.result("eth_getBlockByNumber", "[\"0x1\",false]")["timestamp"])
        XCTAssertEqual(try c.result("eth_getBlockReceipts", "[\"0x2\"]"), .array([]))
    }

    func testTransactionsByBlockAndIndex() throws {
        let c = try EthNamespaceTestChain()
        let header = try XCTUnwrap(c.chain.header(number: 1))
        let byNumber = try c.result("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\",\"0x1\"]")
        let byHash = try c.result("eth_getTransactionByBlockHashAndIndex", "[\"\(header.hash)\",\"0x1\"]")
        XCTAssertEqual(byNumber, byHash)
        XCTAssertEqual(byNumber["hash"], .string(c.block1[1].hash.description))
        XCTAssertEqual(byNumber["blockTimestamp"], RPCFormat.q(header.timestamp))
        XCTAssertEqual(byNumber, try c.result("eth_getTransactionByHash", "[\"\(c.block1[1].hash)\"]"))
        XCTAssertEqual(try c.result("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\",\"0x2\"]"), .null)
        XCTAssertEqual(try c.result("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\",\"0xffffffffffffffff\"]"), .null)
        XCTAssertEqual(try c.result("eth_getTransactionByBlockNumberAndIndex", "[\"0x99\",\"0x0\"]"), .null)
        XCTAssertEqual(try c.result("eth_getTransactionByBlockHashAndIndex", "[\"0x\(String(repeating: "00", count: 32))\",\"0x0\"]"), .null)
    }

    func testTransactionCountByHash() throws {
        let c = try EthNamespaceTestChain()
        let hash = try XCTUnwrap(c.chain.header(number: 1)?.hash)
        XCTAssertEqual(try c.result("eth_getBlockTransactionCountByHash", "[\"\(hash)\"]"), "0x2")
        XCTAssertEqual(try c.result("eth_getBlockTransactionCountByHash", "[\"0x\(String(repeating: "11", count: 32))\"]"), .null)
    }

    func testAccessListIsNotFoundOnKnownBlocksAndNullOnUnknownOnes() throws {
        let c = try EthNamespaceTestChain()
        XCTAssertEqual(try c.errorCode("eth_getBlockAccessList", "[\"latest\"]"), -32001)
        XCTAssertEqual(try c.result("eth_getBlockAccessList", "[\"0x99\"]"), .null)
    }

    func testHostileBlockIdsAndIndexesAreInvalidParams() throws {
        let c = try EthNamespaceTestChain()
        let hostile: [(String, String)] = [
            ("eth_getBlockReceipts", "[]"), ("eth_getBlockReceipts", "[null]"), ("eth_getBlockReceipts", "[\"0x1\",\"0x2\"]"),
            ("eth_getBlockReceipts", "[\"0x\(String(repeating: "zz", count: 32))\"]"), ("eth_getBlockReceipts", "[\"0x1\(String(repeating: "0", count: 70))\"]"),
            ("eth_getBlockReceipts", "[{\"blockHash\":\"0x12\"}]"), ("eth_getBlockReceipts", "[[1]]"), ("eth_getBlockReceipts", "[\"tomorrow\"]"),
            ("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\",\"0x1\(String(repeating: "0", count: 16))\"]"),
            ("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\",-1]"), ("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\"]"),
            ("eth_getTransactionByBlockHashAndIndex", "[\"0x1\",\"0x0\"]"), ("eth_getTransactionByBlockHashAndIndex", "[\"0x\(String(repeating: "00", count: 33))\",\"0x0\"]"),
            ("eth_getBlockTransactionCountByHash", "[\"0x\(String(repeating: "00", count: 31))\"]"), ("eth_getBlockTransactionCountByHash", "[7]"),
            ("eth_getBlockAccessList", "[]"), ("eth_getBlockAccessList", "[true]"),
        ]
        for (method, params) in hostile {
            XCTAssertEqual(try c.errorCode(method, params), -32602, "\(method) \(params)")
        }
    }
}
