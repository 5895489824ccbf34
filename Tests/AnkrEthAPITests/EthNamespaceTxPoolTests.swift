import AnkrChain
import AnkrPrimitives
import AnkrRPC
import XCTest

/// txpool_status, txpool_content and txpool_contentFrom split the pool as geth: runs of nonces from the
/// account nonce are pending, the rest queued.
final class EthNamespaceTxPoolTests: XCTestCase {
    func testPendingAndQueuedAreSplitAtTheNonceGap() throws {
        let c = try EthNamespaceTestChain()
        XCTAssertEqual(try c.result("txpool_status", "[]"), ["pending": "0x1", "queued": "0x1"])
        let alice = EthNamespaceTestChain.alice.address.checksummed
        let content = try c.result("txpool_content", "[]")
        XCTAssertEqual(content["pending"]?[alice]?["2"]?["nonce"], "0x2")
        XCTAssertEqual(content["queued"]?[alice]?["5"]?["nonce"], "0x5")
        XCTAssertEqual(content["pending"]?[alice]?["2"]?["blockHash"], .null)
        XCTAssertEqual(content["pending"]?[alice]?["2"]?["from"], .string(alice))
        let from = try c.result("txpool_contentFrom", "[\"\(alice)\"]")
        XCTAssertEqual(from["pending"], content["pending"]?[alice])
        XCTAssertEqual(from["queued"], content["queued"]?[alice])
        XCTAssertEqual(try c.result("txpool_contentFrom", "[\"\(EthNamespaceTestChain.bob)\"]"), ["pending": [:], "queued": [:]])
    }

    func testTheNamespaceIsServedOnlyWhenEnabled() throws {
        let c = try EthNamespaceTestChain(limits: RPCLimits())
        XCTAssertEqual(try c.errorCode("txpool_status", "[]"), -32601)
    }

    func testMalformedParametersAreInvalidParams() throws {
        let c = try EthNamespaceTestChain()
        for (method, params) in [("txpool_status", "[1]"), ("txpool_content", "[\"x\"]"), ("txpool_contentFrom", "[]"),
                                 ("txpool_contentFrom", "[\"0x12\"]"), ("txpool_contentFrom", "[1]"),
                                 ("txpool_contentFrom", "[\"\(EthNamespaceTestChain.bob)\",1]")] {
            XCTAssertEqual(try c.errorCode(method, params), -32602, "\(method) \(params)")
        }
    }
}
