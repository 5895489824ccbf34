import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import Foundation
import XCTest

/// What the development-account methods refuse: every signing method on a node that unlocks nothing, accounts
/// it does not hold, transactions geth would not fill, and malformed, oversized or out-of-range parameters —
/// each a JSON-RPC error that says what was wrong, never a crash.
final class DevAccountRefusalTests: XCTestCase {
    typealias TestChain = DevAccountTestChain
    let dev = TestChain.dev.address.checksummed
    let second = TestChain.second.address.checksummed

    func testANodeThatUnlocksNothingListsNoAccountsAndRefusesEverySigningMethod() throws {
        let node = try TestChain(unlocked: [])
        XCTAssertEqual(try node.call("eth_accounts", "[]"), [])
        XCTAssertEqual(try node.call("personal_listAccounts", "[]"), [])
        let calls = [
            ("eth_sign", #"["\#(dev)","0x01"]"#), ("personal_sign", #"["0x01","\#(dev)"]"#),
            ("eth_signTransaction", #"[{"from":"\#(dev)","to":"\#(second)","gas":"0x5208","gasPrice":"0x1","nonce":"0x0"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)"}]"#),
            ("eth_sendTransaction", #"[{"to":"\#(second)"}]"#),
        ]
        for (method, params) in calls {
            let refused = try XCTUnwrap(node.refusal(method, params), method)
            XCTAssertEqual(refused.code, -32000, method)
            XCTAssertTrue(refused.message.hasPrefix("unknown account"), "geth's words first: \(refused.message)")
            XCTAssertTrue(refused.message.contains("only on development chains"), refused.message)
        }
        XCTAssertEqual(node.mempool.count, 0)
    }

    func testAnAccountTheNodeDoesNotHoldIsUnknown() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let stranger = TestChain.stranger.checksummed
        for (method, params) in [("eth_sign", #"["\#(stranger)","0x01"]"#), ("personal_sign", #"["0x01","\#(second)"]"#),
                                 ("eth_sendTransaction", #"[{"from":"\#(second)","to":"\#(dev)"}]"#)] {
            let refused = try XCTUnwrap(node.refusal(method, params), method)
            XCTAssertEqual(refused.code, -32000)
            XCTAssertTrue(refused.message.hasPrefix("unknown account 0x"), refused.message)
        }
        XCTAssertEqual(node.refusal("eth_sendTransaction", #"[{"to":"\#(second)"}]"#)?.message, DevAccountError.missingFrom.description)
    }

    func testSignTransactionNeedsGasFeesAndNonceAsGeth() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let base = #""from":"\#(dev)","to":"\#(second)""#
        XCTAssertEqual(node.refusal("eth_signTransaction", #"[{\#(base),"gasPrice":"0x1","nonce":"0x0"}]"#)?.message, "gas not specified")
        XCTAssertEqual(node.refusal("eth_signTransaction", #"[{\#(base),"gas":"0x5208","nonce":"0x0"}]"#)?.message,
                       "missing gasPrice or maxFeePerGas/maxPriorityFeePerGas")
        XCTAssertEqual(node.refusal("eth_signTransaction", #"[{\#(base),"gas":"0x5208","maxFeePerGas":"0x2","nonce":"0x0"}]"#)?.message,
                       "missing gasPrice or maxFeePerGas/maxPriorityFeePerGas", "both 1559 caps, as geth")
        XCTAssertEqual(node.refusal("eth_signTransaction", #"[{\#(base),"gas":"0x5208","gasPrice":"0x1"}]"#)?.message, "nonce not specified")
    }

    func testFillsGethRefusesAreRefusedInGethsWords() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let to = #""from":"\#(dev)","to":"\#(second)""#
        let cases: [(String, DevAccountError)] = [
            (#"\#(to),"gasPrice":"0x1","maxFeePerGas":"0x2""#, .gasPriceWithDynamicFees),
            (#"\#(to),"gasPrice":"0x1","maxPriorityFeePerGas":"0x2""#, .gasPriceWithDynamicFees),
            (#"\#(to),"gasPrice":"0x0""#, .zeroGasPrice),
            (#"\#(to),"maxFeePerGas":"0x0","maxPriorityFeePerGas":"0x0""#, .zeroMaxFee),
            (#"\#(to),"maxFeePerGas":"0x1","maxPriorityFeePerGas":"0x2""#, .maxFeeBelowPriorityFee(maxFee: UInt256(1), priorityFee: UInt256(2))),
            (#"\#(to),"maxFeePerGas":"0x1""#, .maxFeeBelowPriorityFee(maxFee: UInt256(1), priorityFee: UInt256(1_000_000_000))),
            (#"\#(to),"type":"0x2","gasPrice":"0x1""#, .feesDoNotMatchType(.dynamicFee)),
            (#"\#(to),"type":"0x1","maxFeePerGas":"0x1""#, .feesDoNotMatchType(.accessList)),
            (#"\#(to),"input":"0x01","data":"0x02""#, .conflictingInput),
            (#""from":"\#(dev)""#, .creationWithoutData),
            (#""from":"\#(dev)","to":null,"input":"0x""#, .creationWithoutData),
            (#"\#(to),"chainId":"0x1""#, .chainIDMismatch(have: UInt256(1), want: 7331)),
            (#"\#(to),"chainId":"0x\#(String(repeating: "f", count: 64))""#, .chainIDMismatch(have: .max, want: 7331)),
            (#"\#(to),"type":"0x3""#, .blobTransaction),
            (#"\#(to),"blobVersionedHashes":[]"#, .blobTransaction),
            (#"\#(to),"maxFeePerBlobGas":"0x1""#, .blobTransaction),
            (#"\#(to),"type":"0x4""#, .setCodeTransaction),
            (#"\#(to),"authorizationList":[]"#, .setCodeTransaction),
            (#"\#(to),"type":"0x7e""#, .unsupportedType(0x7e)),
        ]
        for (fields, error) in cases {
            for method in ["eth_fillTransaction", "eth_sendTransaction"] {
                let refused = node.refusal(method, "[{\(fields)}]")
                XCTAssertEqual(refused, error.rpc, "\(method) \(fields)")
            }
        }
        XCTAssertEqual(DevAccountError.chainIDMismatch(have: UInt256(1), want: 7331).description,
                       "chainId does not match node's (have=1, want=7331)")
        XCTAssertEqual(node.mempool.count, 0, "nothing refused reached the pool")
    }

    func testADefaultFeeCapBeyond256BitsIsRefusedNotWrapped() throws {
        // A (hostile) genesis base fee of 2^255: twice it does not fit, so the default cap cannot be computed.
        let node = try TestChain(unlocked: [TestChain.dev], baseFee: UInt256(w0: 0, w1: 0, w2: 0, w3: 1 << 63))
        XCTAssertEqual(node.refusal("eth_fillTransaction", #"[{"to":"\#(second)","gas":"0x5208"}]"#), DevAccountError.feeOverflow.rpc)
        // A legacy price is the next block's base fee (an eighth lower after the empty genesis) plus the tip: it fits.
        let legacy = try node.call("eth_fillTransaction", #"[{"to":"\#(second)","gas":"0x5208","type":"0x0"}]"#)
        XCTAssertEqual(legacy["tx"]?["gasPrice"], RPCFormat.q(BaseFee.next(after: node.chain.head) &+ UInt256(1_000_000_000)))
    }

    func testMalformedOversizedAndOutOfRangeParametersAreInvalidParams() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let huge = "0x1" + String(repeating: "0", count: 64)
        let cases: [(String, String)] = [
            ("eth_sign", "[]"), ("eth_sign", #"["\#(dev)"]"#), ("eth_sign", #"["\#(dev)","0x01","0x02"]"#),
            ("eth_sign", #"["0x1234","0x01"]"#), ("eth_sign", #"["\#(dev)","01"]"#), ("eth_sign", #"["\#(dev)","0x0g"]"#),
            ("eth_sign", #"["\#(dev)",5]"#), ("eth_sign", #"["\#(dev.lowercased().dropLast())X","0x01"]"#),
            ("personal_sign", #"["0x01"]"#), ("personal_sign", #"["0x01","\#(dev)",7]"#), ("personal_sign", #"["\#(dev)","0x01"]"#),
            ("eth_sendTransaction", "[]"), ("eth_sendTransaction", "[1]"), ("eth_sendTransaction", #"["0x01"]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)"},{}]"#), ("eth_sendTransaction", #"{"from":"\#(dev)"}"#),
            ("eth_sendTransaction", #"[{"from":"0xabc","to":"\#(second)"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","value":"\#(huge)"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","value":-1}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","nonce":"0x10000000000000000"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","gas":"0x10000000000000000"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","gas":"5208"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","maxFeePerGas":"\#(huge)"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","type":"0x10000000000000000"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","type":true}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","input":"0x123"}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","accessList":{}}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","accessList":[1]}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","accessList":[{"address":"0x01"}]}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","accessList":[{"address":"\#(second)","storageKeys":"0x01"}]}]"#),
            ("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","accessList":[{"address":"\#(second)","storageKeys":["0x01"]}]}]"#),
            ("eth_signTransaction", "[null]"), ("eth_fillTransaction", "[[]]"), ("eth_fillTransaction", "[]"),
            ("eth_fillTransaction", #"[{"to":"\#(second)","chainId":"\#(huge)"}]"#),
        ]
        for (method, params) in cases {
            let refused = node.refusal(method, params)
            XCTAssertEqual(refused?.code, -32602, "\(method) \(params): \(String(describing: refused))")
        }
        XCTAssertEqual(node.mempool.count, 0)
    }

    func testALongMessageIsSignedWithinTheBodyLimitAndAnInitcodeAboveTheLimitIsRefusedByThePool() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let message = [UInt8](repeating: 0xab, count: 100_000)
        let signature = try XCTUnwrap(try node.call("eth_sign", "[\"\(dev)\",\"\(message.hexPrefixed)\"]").string)
        XCTAssertEqual(signature, try PersonalMessage.sign(message, with: TestChain.dev).hexPrefixed)
        // 49,153 bytes of init code (EIP-3860 allows 49,152), with a gas limit so nothing is estimated.
        let initcode = [UInt8](repeating: 0x5b, count: 49_153)
        let refused = try XCTUnwrap(node.refusal("eth_sendTransaction", "[{\"from\":\"\(dev)\",\"gas\":\"0x1000000\",\"input\":\"\(initcode.hexPrefixed)\"}]"))
        XCTAssertEqual(refused.code, -32000)
        XCTAssertEqual(node.mempool.count, 0)
    }
}
