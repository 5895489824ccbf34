import AnkrChain
import AnkrEVM
import AnkrPrimitives
import AnkrRPC
@testable import AnkrEthAPI
import XCTest

/// eth_coinbase, the next block's fees, eth_config (EIP-7910), eth_capabilities and eth_getStorageValues.
final class EthNamespaceNodeInfoTests: XCTestCase {
    func testForkHashIsTheCRC32OfTheGenesisHash() throws {
        // EIP-2124's mainnet vector: the genesis block alone hashes to 0xfc64ec04.
        let mainnet = try H256(hex: "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")
        XCTAssertEqual(EthNamespace.forkHash(genesis: mainnet), [0xfc, 0x64, 0xec, 0x04])
    }

    func testConfigDescribesCancunFromGenesisWithNothingScheduled() throws {
        let c = try EthNamespaceTestChain()
        let config = try c.result("eth_config", "[]")
        XCTAssertEqual(config["next"], .null)
        XCTAssertEqual(config["last"], .null)
        let current = try XCTUnwrap(config["current"])
        XCTAssertEqual(current["chainId"], RPCFormat.q(EthNamespaceTestChain.chainID))
        XCTAssertEqual(current["forkId"], RPCFormat.data(EthNamespace.forkHash(genesis: c.chain.genesisHash)))
        XCTAssertEqual(current["blobSchedule"]?["max"], .int(6))
        XCTAssertEqual(current["precompiles"]?["ECREC"], "0x0000000000000000000000000000000000000001")
        XCTAssertEqual(current["precompiles"]?["KZG_POINT_EVALUATION"], .string(Precompiles.addresses[9].description))
        XCTAssertEqual(try c.errorCode("eth_config", "[1]"), -32602)
    }

    func testCoinbaseIsTheProducersOrGethsErrorWithoutOne() throws {
        XCTAssertEqual(try EthNamespaceTestChain().result("eth_coinbase", "[]"), .string(EthNamespaceTestChain.coinbase.checksummed))
        XCTAssertEqual(try EthNamespaceTestChain(coinbase: nil).errorCode("eth_coinbase", "[]"), -32000)
    }

    func testFeesOfTheNextBlock() throws {
        let c = try EthNamespaceTestChain()
        XCTAssertEqual(try c.result("eth_baseFee", "[]"), RPCFormat.q(BaseFee.next(after: c.chain.head)))
        XCTAssertEqual(try c.result("eth_blobBaseFee", "[]"), "0x1")
    }

    func testCapabilitiesKeepEverythingFromGenesis() throws {
        let c = try EthNamespaceTestChain()
        let caps = try c.result("eth_capabilities", "[]")
        XCTAssertEqual(caps["head"]?["number"], "0x2")
        XCTAssertEqual(caps["head"]?["hash"], .string(c.chain.head.hash.description))
        for resource in ["state", "tx", "logs", "receipts", "blocks", "stateproofs"] {
            XCTAssertEqual(caps[resource], ["disabled": false, "oldestBlock": "0x0"], resource)
        }
    }

    func testStorageValuesReadManySlotsOfManyAccounts() throws {
        let c = try EthNamespaceTestChain()
        let bob = EthNamespaceTestChain.bob.description, emitter = EthNamespaceTestChain.emitter.description
        let values = try c.result("eth_getStorageValues", "[{\"\(bob)\":[\"0x0\",\"0x\(String(repeating: "00", count: 32))\"],\"\(emitter)\":[]},\"latest\"]")
        XCTAssertEqual(values, [bob: .array([.string("0x" + String(repeating: "00", count: 32)), .string("0x" + String(repeating: "00", count: 32))]),
                                emitter: []])
    }

    func testStorageValuesAreBoundedAndCheckTheirInput() throws {
        let c = try EthNamespaceTestChain()
        let bob = EthNamespaceTestChain.bob.description, emitter = EthNamespaceTestChain.emitter.description
        func slots(_ n: Int) -> String { "[" + Array(repeating: "\"0x1\"", count: n).joined(separator: ",") + "]" }
        XCTAssertNil(try c.errorCode("eth_getStorageValues", "[{\"\(bob)\":\(slots(EthNamespace.maxStorageValues))}]"))
        // The bound is over all accounts together.
        let split = "[{\"\(bob)\":\(slots(EthNamespace.maxStorageValues / 2 + 1)),\"\(emitter)\":\(slots(EthNamespace.maxStorageValues / 2))}]"
        XCTAssertEqual(try c.errorCode("eth_getStorageValues", split), -32602)
        for params in ["[]", "[[]]", "[{\"0x12\":[\"0x0\"]}]", "[{\"\(bob)\":\"0x0\"}]", "[{\"\(bob)\":[\"0x\(String(repeating: "1", count: 65))\"]}]",
                       "[{\"\(bob)\":[true]}]", "[{\"\(bob)\":[\"0x0\"]},\"tomorrow\"]", "[{},\"latest\",1]"] {
            XCTAssertEqual(try c.errorCode("eth_getStorageValues", params), -32602, params)
        }
    }
}
