import AnkrChain
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import XCTest

/// The `debug_` namespace over a real chain: raw RLP that decodes back to what the chain holds, traces
/// that replay earlier transactions of the block first, geth's answer shapes, and clear errors for every
/// malformed, oversized or out-of-range parameter.
final class DebugNamespaceTests: XCTestCase {
    var t: DebugTestChain!

    override func setUpWithError() throws {
        t = try DebugTestChain()
    }

    func result(_ method: String, _ params: String) throws -> JSON {
        let reply = try t.rpc(method, params)
        XCTAssertNil(reply["error"], "\(method) \(params): \(reply)")
        return try XCTUnwrap(reply["result"], "\(method) \(params)")
    }

    func error(_ method: String, _ params: String) throws -> (code: Int64, message: String) {
        let e = try XCTUnwrap(try t.rpc(method, params)["error"], "\(method) \(params) should fail")
        return (try XCTUnwrap(e["code"]?.int), try XCTUnwrap(e["message"]?.string))
    }

    func bytes(_ json: JSON?) throws -> [UInt8] {
        try XCTUnwrap(json?.string.flatMap { try? [UInt8](hex: $0) }, "not hex: \(String(describing: json))")
    }

    // MARK: Raw data

    func testRawDataDecodesBackToWhatTheChainHolds() throws {
        let header = try XCTUnwrap(t.chain.header(number: 1))
        let block = try XCTUnwrap(t.chain.block(hash: header.hash))
        for tag in [#""0x1""#, #"{"blockHash":"\#(header.hash)"}"#] {
            XCTAssertEqual(try BlockHeader(encoded: bytes(result("debug_getRawHeader", "[\(tag)]"))), header)
            XCTAssertEqual(try Block(encoded: bytes(result("debug_getRawBlock", "[\(tag)]"))), block)
        }
        XCTAssertEqual(try BlockHeader(encoded: bytes(result("debug_getRawHeader", #"["latest"]"#))).number, 2)
        let receipts = try XCTUnwrap(result("debug_getRawReceipts", #"["0x1"]"#).array)
        XCTAssertEqual(try receipts.map { try Receipt(encoded: bytes($0)) }, try XCTUnwrap(t.chain.receipts(blockHash: header.hash)))
        XCTAssertEqual(receipts.count, 3)
        // Typed receipts carry their type byte first (EIP-2718), as geth's raw receipts do.
        XCTAssertEqual(try bytes(receipts[0]).first, TransactionType.dynamicFee.rawValue)
        for tx in block.transactions {
            XCTAssertEqual(try Transaction(raw: bytes(result("debug_getRawTransaction", #"["\#(tx.hash)"]"#))), tx)
        }
        XCTAssertEqual(try result("debug_getRawTransaction", #"["0x\#(String(repeating: "ab", count: 32))"]"#), "0x")
        XCTAssertEqual(try result("debug_getRawReceipts", #"["0x0"]"#), [])
        XCTAssertEqual(try result("debug_getBadBlocks", "[]"), [])
    }

    func testRawDataOfMissingBlocksAndMalformedParamsAreClearErrors() throws {
        for method in ["debug_getRawHeader", "debug_getRawBlock", "debug_getRawReceipts"] {
            XCTAssertEqual(try error(method, #"["0x63"]"#).message, "block 0x63 not found")
            XCTAssertEqual(try error(method, #"[{"blockHash":"0x\#(String(repeating: "cd", count: 32))"}]"#).code, -32000)
            for bad in [#"[]"#, #"["0x1","0x2"]"#, #"["0x1z"]"#, #"["0x"]"#, #"["0x1ffffffffffffffff"]"#, #"[true]"#, #"[{"nothing":1}]"#,
                        #"["\#(String(repeating: "9", count: 100_000))"]"#] {
                XCTAssertEqual(try error(method, bad).code, -32602, "\(method) \(bad.prefix(60))")
            }
        }
        for bad in [#"[]"#, #"["0x12"]"#, #"[1]"#, #"["0x\#(String(repeating: "ab", count: 33))"]"#] {
            XCTAssertEqual(try error("debug_getRawTransaction", bad).code, -32602, bad)
        }
        XCTAssertEqual(try error("debug_getBadBlocks", #"["extra"]"#).code, -32602)
        XCTAssertEqual(try error("debug_getRawBlockAccessList", #"["latest"]"#).code, -32001)
    }

    func testTheDebugNamespaceIsServedOnlyWhenEnabled() throws {
        let plain = try DebugTestChain(limits: RPCLimits())
        for method in ["debug_getRawHeader", "debug_traceTransaction", "debug_traceCall", "debug_getBadBlocks"] {
            XCTAssertEqual(try plain.rpc(method, #"["0x1"]"#)["error"]?["code"]?.int, -32601, method)
        }
        // eth_createAccessList is an eth method: served whenever eth is.
        XCTAssertNotNil(try plain.rpc("eth_createAccessList", #"[{"to":"\#(DebugTestChain.prober)"}]"#)["result"])
    }
}
