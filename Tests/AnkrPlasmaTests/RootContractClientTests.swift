import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import XCTest

/// The operator's and watcher's view of the main chain, facing a node that answers nonsense: a
/// typed error naming what was wrong, never a trap or a silently wrong number.
final class RootContractClientTests: XCTestCase {
    func testHostileMainChainRepliesAreTypedErrors() throws {
        var word = [UInt8](repeating: 0, count: 32)
        word[23] = 1  // 2^64: no block number
        let depositTopic = try XCTUnwrap(PlasmaRoot.interface.event(named: "Deposit")?.topic)
        let log: JSON = ["address": .string(ChildChainRegistry.rootAddress(1).checksummed), "topics": [.string(depositTopic.description)], "data": "0x",
                         "blockNumber": "0x7", "blockHash": .string(H256.zero.description), "transactionHash": .string(H256.zero.description),
                         "transactionIndex": "0x0", "logIndex": "0x0"]
        let node = try CannedNode([
            "eth_blockNumber": .string("0x1" + String(repeating: "0", count: 64)),
            "eth_call": RPCFormat.data(word),
            "eth_getBlockByNumber": nil,
            "eth_getLogs": [log],
        ])
        defer { node.stop() }
        let root = RootContractClient(rpc: node.rpc, chain: 1)
        XCTAssertUnexpectedReply(at: "eth_blockNumber", try root.headNumber())
        XCTAssertThrowsError(try root.nextChildBlock()) {
            XCTAssertEqual($0 as? RootContractClient.Failure, .numberOutOfRange(function: "nextChildBlock", UInt256(UInt64.max) &+ .one))
        }
        XCTAssertNil(try root.blockHash(at: 3), "a block the node does not have")
        XCTAssertThrowsError(try root.logs("Deposit", from: 0, to: 10)) {
            XCTAssertEqual($0 as? RootContractClient.Failure, .undecodableLog(event: "Deposit", block: 7), "the topics lack the indexed arguments")
        }
        XCTAssertThrowsError(try root.logs("Refund", from: 0, to: 10)) { XCTAssertEqual($0 as? RootContractClient.Failure, .unknownEvent("Refund")) }
        XCTAssertThrowsError(try root.send("submitBlock", [.fixedBytes(H256.zero.bytes)])) {
            XCTAssertEqual($0 as? RootContractClient.Failure, .noSigner(function: "submitBlock"))
        }
    }

    func testDepositLogsAreReadWithTheirBlocksAcrossQueryWindows() throws {
        let event = try XCTUnwrap(PlasmaRoot.interface.event(named: "Deposit"))
        let owner = Address.zero
        func word(_ v: UInt64) -> [UInt8] { [UInt8](repeating: 0, count: 24) + withUnsafeBytes(of: v.bigEndian, Array.init) }
        let blockHash = Keccak256.h256([1])
        let log: JSON = ["address": .string(ChildChainRegistry.rootAddress(1).checksummed),
                         "topics": [.string(event.topic.description), .string(H256.zero.description), .string(try H256(word(1)).description)],
                         "data": RPCFormat.data(word(500)), "blockNumber": "0x2", "blockHash": .string(blockHash.description),
                         "transactionHash": .string(H256.zero.description), "transactionIndex": "0x0", "logIndex": "0x0"]
        let node = try CannedNode(["eth_getLogs": [log]])
        defer { node.stop() }
        // 25,000 blocks are three eth_getLogs windows; the canned node answers the same log to each.
        let logs = try RootContractClient(rpc: node.rpc, chain: 1).logs("Deposit", from: 0, to: 24_999)
        XCTAssertEqual(logs.count, 3)
        XCTAssertEqual(logs.first?.block, MainChainAnchor(number: 2, hash: blockHash))
        XCTAssertEqual(logs.first?.arguments, [.address(owner), .uint(.one), .uint(UInt256(500))])
    }
}
