import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import Foundation
import Synchronization
import XCTest

/// Unlocked development accounts: what each method signs, fills and submits, in geth's formats, checked against
/// the execution-apis examples and signatures made by eth-account (an independent implementation).
final class DevAccountNamespaceTests: XCTestCase {
    typealias TestChain = DevAccountTestChain
    let dev = TestChain.dev.address.checksummed
    let second = TestChain.second.address.checksummed

    func testAccountsListsTheUnlockedKeysInOrderOnce() throws {
        let node = try TestChain(unlocked: [TestChain.dev, TestChain.second, TestChain.dev])
        XCTAssertEqual(try node.call("eth_accounts", "[]"), [.string(dev), .string(second)])
        XCTAssertEqual(try node.call("personal_listAccounts", "[]"), [.string(dev), .string(second)])
        XCTAssertEqual(node.refusal("eth_accounts", "[1]")?.code, -32602)
    }

    func testEthSignIsTheEIP191PersonalSignatureEthAccountMakes() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        // eth_account.Account.sign_message(encode_defunct(hexstr=...), "0x46…46").signature
        let vectors = [
            ("0xdeadbeaf", "0x48abfd0a56a57b36853bbcccde85f51af47715ac12fa35a02730064846bf3c4e31e5b9017885f9aeed6071198037569778f0f54d99a28f0a601dd68e0d009b231b"),
            ("0x48656c6c6f20416e6b72", "0x07b338680dc69f429fa63e914f61773b3380cb9acbbfe2c737c6aed57a87e7904dac279d8cbd1107caa127d840c1a084c26b068c0f3e24c2d51f745dc0be132a1c"),
            ("0x", "0xff65394fc6cc70eee8e5ee1160dfa355a0484ad2988b65d01aee4bf58288958f082ce5e2c2d9d49130a2b1e8d01850cc00b0f17637f029570420e5a4a8d724fd1c"),
        ]
        for (message, signature) in vectors {
            XCTAssertEqual(try node.call("eth_sign", #"["\#(dev)","\#(message)"]"#), .string(signature), message)
            XCTAssertEqual(try node.call("personal_sign", #"["\#(message)","\#(dev)"]"#), .string(signature), message)
            XCTAssertEqual(try node.call("personal_sign", #"["\#(message)","\#(dev)",""]"#), .string(signature), "a password is not needed")
        }
        // The signature recovers to the account from the prefixed hash, with v 27 or 28.
        let sig = try Hex.decode(try XCTUnwrap(try node.call("eth_sign", #"["\#(dev)","0x00ff"]"#).string))
        XCTAssertEqual(sig.count, 65)
        XCTAssertTrue(sig[64] == 27 || sig[64] == 28)
        let recovered = try Signature(rsv: Array(sig[0..<64]) + [sig[64] - 27]).recoverAddress(hash: PersonalMessage.hash([0x00, 0xff]))
        XCTAssertEqual(recovered, TestChain.dev.address)
        XCTAssertEqual(PersonalMessage.hash([0x00, 0xff]), Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n2".utf8) + [0x00, 0xff]))
    }

    func testSignTransactionReproducesTheSpecificationsExample() throws {
        // execution-apis eth/sign.yaml: the EIP-155 example key on chain 1, a legacy transaction.
        let node = try TestChain(unlocked: [TestChain.dev], chainID: 1)
        let result = try node.call("eth_signTransaction", """
            [{"from":"0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f","nonce":"0x9","to":"0xd46e8dd67c5d32be8058bb8eb970870f07244567",
              "gas":"0x76c0","gasPrice":"0x9184e72a000","value":"0x9184e72a",
              "input":"0xd46e8dd67c5d32be8d46e8dd67c5d32be8058bb8eb970870f072445675058bb8eb970870f072445675"}]
            """)
        let raw = "0xf892098609184e72a0008276c094d46e8dd67c5d32be8058bb8eb970870f07244567849184e72aa9d46e8dd67c5d32be8d46e8dd67c5d32be8058bb8eb970870f072445675058bb8eb970870f07244567526a0839ebaab7774ffdae60d418fc8b4192d2cb861ac31acbb5fef26027d1b8f10aea015396a78493395691c10fccc33ec13f2eeb96a3ba2b4ca1652c91bb2b348d12b"
        XCTAssertEqual(result["raw"], .string(raw))
        let tx = try XCTUnwrap(result["tx"]?.object)
        let expected: [String: JSON] = [
            "type": "0x0", "chainId": "0x1", "nonce": "0x9", "to": "0xd46e8dd67c5d32be8058bb8eb970870f07244567", "gas": "0x76c0",
            "gasPrice": "0x9184e72a000", "value": "0x9184e72a",
            "input": "0xd46e8dd67c5d32be8d46e8dd67c5d32be8058bb8eb970870f072445675058bb8eb970870f072445675", "v": "0x26",
            "r": "0x839ebaab7774ffdae60d418fc8b4192d2cb861ac31acbb5fef26027d1b8f10ae",
            "s": "0x15396a78493395691c10fccc33ec13f2eeb96a3ba2b4ca1652c91bb2b348d12b",
        ]
        for (name, value) in expected {
            XCTAssertEqual(tx[name]?.string?.lowercased(), value.string, name)
        }
        XCTAssertEqual(tx["hash"], .string(Keccak256.h256(try Hex.decode(raw)).description))
        XCTAssertNil(node.mempool.transaction(try H256(hex: try XCTUnwrap(tx["hash"]?.string))), "signing submits nothing")
    }

    func testSignTransactionSignsAnEIP1559TransactionThatDecodesToTheSameFields() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let result = try node.call("eth_signTransaction", """
            [{"from":"\(dev)","nonce":"0x0","to":"\(second)","gas":"0x5208","maxFeePerGas":"0x77359400",
              "maxPriorityFeePerGas":"0x3b9aca00","value":"0x1"}]
            """)
        let tx = try Transaction(raw: try Hex.decode(try XCTUnwrap(result["raw"]?.string)))
        XCTAssertEqual(tx.type, .dynamicFee)
        XCTAssertEqual(try tx.recoverSender(), TestChain.dev.address)
        XCTAssertEqual(tx.chainID, 7331)
        XCTAssertEqual(tx.maxFeePerGas, UInt256(2_000_000_000))
        XCTAssertEqual(tx.maxPriorityFeePerGas, UInt256(1_000_000_000))
        let json = try XCTUnwrap(result["tx"])
        XCTAssertEqual(json["type"], "0x2")
        XCTAssertEqual(json["chainId"], "0x1ca3")
        XCTAssertEqual(json["yParity"], json["v"])
        XCTAssertEqual(json["gasPrice"], "0x77359400", "the schema's gasPrice of a transaction outside a block: its fee cap")
        XCTAssertEqual(json["accessList"], [])
        XCTAssertEqual(json["hash"], .string(tx.hash.description))
        XCTAssertEqual(try node.submit(tx), tx.hash, "the signed transaction is admitted as it is")
    }

    func testSendTransactionFillsNonceGasFeesAndChainIDAndSubmits() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let first = try H256(hex: try XCTUnwrap(try node.call("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)","value":"0x2a"}]"#).string))
        let second = try H256(hex: try XCTUnwrap(try node.call("eth_sendTransaction", #"[{"from":"\#(dev)","to":"\#(second)"}]"#).string))
        let a = try XCTUnwrap(node.mempool.transaction(first))
        let b = try XCTUnwrap(node.mempool.transaction(second))
        XCTAssertEqual([a.nonce, b.nonce], [0, 1], "the pool's pending nonce")
        XCTAssertEqual(a.type, .dynamicFee)
        XCTAssertEqual(a.chainID, 7331)
        XCTAssertEqual(a.gasLimit, 21_000, "estimated")
        XCTAssertEqual(a.value, UInt256(42))
        XCTAssertEqual(a.maxPriorityFeePerGas, UInt256(1_000_000_000), "the suggested tip")
        XCTAssertEqual(a.maxFeePerGas, UInt256(3_000_000_000), "twice the head's base fee plus the tip")
        XCTAssertEqual(try a.recoverSender(), TestChain.dev.address)
        try node.sealPool()
        XCTAssertEqual(try node.chain.state(at: node.chain.head).nonce(TestChain.dev.address), 2)
    }

    func testSendTransactionDeploysAContractWithAnEstimatedGasLimit() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        // Init code returning the one-byte runtime 0x00: PUSH1 1 PUSH1 0 RETURN (memory 0 is zero).
        let hash = try H256(hex: try XCTUnwrap(try node.call("eth_sendTransaction", #"[{"from":"\#(dev)","data":"0x60016000f3"}]"#).string))
        let tx = try XCTUnwrap(node.mempool.transaction(hash))
        XCTAssertNil(tx.to)
        XCTAssertGreaterThan(tx.gasLimit, 53_000, "a creation costs at least 53000")
        try node.sealPool()
        let created = try XCTUnwrap(tx.createdContract(sender: TestChain.dev.address))
        XCTAssertEqual(try node.chain.state(at: node.chain.head).code(created), [0x00])
    }

    func testConcurrentSendsFromOneAccountGetDistinctNonces() throws {
        let node = try TestChain(unlocked: [TestChain.dev])
        let count = 12
        let hashes = Mutex<[H256]>([])
        let params = #"[{"from":"\#(dev)","to":"\#(second)","gas":"0x5208"}]"#
        DispatchQueue.concurrentPerform(iterations: count) { _ in
            if let text = try? node.call("eth_sendTransaction", params).string,
               let hash = try? H256(hex: text) {
                hashes.withLock { $0.append(hash) }
            }
        }
        let nonces = hashes.withLock { $0 }.compactMap { node.mempool.transaction($0)?.nonce }
        XCTAssertEqual(Set(nonces), Set((0..<UInt64(count)).map { $0 }), "every send admitted, each with its own nonce")
    }

    func testFillTransactionWorksWithoutUnlockedKeysAndReturnsTheUnsignedEncoding() throws {
        let node = try TestChain(unlocked: [])
        let result = try node.call("eth_fillTransaction", #"[{"from":"\#(dev)","to":"\#(second)","value":"0x1"}]"#)
        let raw = try Hex.decode(try XCTUnwrap(result["raw"]?.string))
        let tx = try Transaction(raw: raw)
        XCTAssertEqual(tx.type, .dynamicFee)
        XCTAssertEqual([tx.v, tx.r, tx.s], [.zero, .zero, .zero], "unsigned")
        XCTAssertEqual(tx.gasLimit, 21_000)
        XCTAssertEqual(tx.nonce, 0)
        XCTAssertEqual(tx.chainID, 7331)
        let json = try XCTUnwrap(result["tx"])
        XCTAssertEqual(json["v"], "0x0")
        XCTAssertEqual(json["maxFeePerGas"], "0xb2d05e00")
        XCTAssertEqual(json["nonce"], "0x0")
        XCTAssertEqual(json["hash"], .string(tx.hash.description))
        // A key signs the filled transaction; the pool takes it.
        XCTAssertNoThrow(try node.submit(try tx.signed(with: TestChain.dev)))
        XCTAssertEqual(try Transaction(raw: try Hex.decode(try XCTUnwrap(
            try node.call("eth_fillTransaction", #"[{"from":"\#(dev)","to":"\#(second)"}]"#)["raw"]?.string))).nonce, 1,
                       "the next fill counts the pooled transaction")
    }

    func testFillChoosesTheTypeFromTheFeeFields() throws {
        let node = try TestChain(unlocked: [])
        func filled(_ fields: String) throws -> Transaction {
            try Transaction(raw: try Hex.decode(try XCTUnwrap(
                try node.call("eth_fillTransaction", "[{\"from\":\"\(dev)\",\"to\":\"\(second)\",\(fields)}]")["raw"]?.string)))
        }
        // An unsigned legacy transaction has v = 0, which no signed one has: compare its RLP fields, not a decoded transaction.
        let legacy = try node.call("eth_fillTransaction", #"[{"to":"\#(second)","gasPrice":"0x3b9aca00"}]"#)
        let fields = try RLP.decode(try Hex.decode(try XCTUnwrap(legacy["raw"]?.string))).listValue()
        XCTAssertEqual(try fields.map { try $0.bytesValue() },
                       [[], [0x3b, 0x9a, 0xca, 0x00], [0x52, 0x08], TestChain.second.address.bytes, [], [], [], [], []])
        let json = try XCTUnwrap(legacy["tx"])
        XCTAssertEqual(json["type"], "0x0")
        XCTAssertEqual(json["gasPrice"], "0x3b9aca00")
        XCTAssertNil(json["chainId"], "geth shows no chain id on an unsigned legacy transaction")
        XCTAssertNil(json["maxFeePerGas"], "no null fee fields of another type")
        XCTAssertEqual(json["to"], .string(second))
        let accessList = try filled(#""gasPrice":"0x3b9aca00","accessList":[{"address":"\#(second)","storageKeys":["0x\#(String(repeating: "0", count: 63))1"]}]"#)
        XCTAssertEqual(accessList.type, .accessList)
        XCTAssertEqual(accessList.accessList.first?.storageKeys.count, 1)
        XCTAssertEqual(accessList.gasLimit, 21_000 + 2_400 + 1_900)
        let explicitLegacy = try node.call("eth_fillTransaction", #"[{"to":"\#(second)","type":"0x0"}]"#)["tx"]
        XCTAssertEqual(explicitLegacy?["type"], "0x0")
        XCTAssertEqual(explicitLegacy?["gasPrice"], RPCFormat.q(BaseFee.next(after: node.chain.head) &+ UInt256(1_000_000_000)), "eth_gasPrice")
        let tipOnly = try filled(#""maxPriorityFeePerGas":"0x5""#)
        XCTAssertEqual(tipOnly.maxFeePerGas, UInt256(2_000_000_005))
        let both = try filled(#""maxPriorityFeePerGas":"0x5","maxFeePerGas":"0x6","nonce":"0x7","gas":"0x9999","chainId":"0x1ca3""#)
        XCTAssertEqual([both.maxPriorityFeePerGas, both.maxFeePerGas], [UInt256(5), UInt256(6)])
        XCTAssertEqual(both.nonce, 7)
        XCTAssertEqual(both.gasLimit, 0x9999, "a given gas limit is not estimated")
        XCTAssertEqual(try filled(#""input":"0x01","data":"0x01""#).data, [0x01], "input and data may repeat each other")
    }
}
