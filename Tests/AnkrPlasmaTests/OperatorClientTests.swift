import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import XCTest

/// A wallet's or watcher's client of an operator, which is a stranger: a place in its answers that
/// no output can have is refused with the reason, never converted (Int(_:) traps past Int.max, and
/// blknum·10^9 past 2^64); a member of the wrong type, bad hex or an amount past 2^256 is a typed error.
final class OperatorClientTests: XCTestCase {
    let owner = PrivateKey.random().address

    func testPlacesNoOutputCanHaveAreRefusedNotTrapped() throws {
        let node = try CannedNode([
            "plasma_getTransaction": ["pending": false, "blockNumber": "0x3e8", "txIndex": "0x8000000000000000", "submitted": true],
            "plasma_getSpend": ["blockNumber": "0xffffffffffffffff", "txIndex": "0x0"],
        ])
        defer { node.stop() }
        let client = OperatorClient(rpc: node.rpc)
        XCTAssertThrowsError(try client.transaction(.zero)) { XCTAssertTrue("\($0)".contains("transaction index 9223372036854775808 is out of range"), "\($0)") }
        XCTAssertThrowsError(try client.spend(of: UTXOPosition.blockFactor)) { XCTAssertTrue("\($0)".contains("out of range"), "\($0)") }
    }

    func testMembersOfTheWrongShapeAreTypedErrorsNamingWhere() throws {
        let node = try CannedNode([
            "plasma_sendTransaction": 5,
            "plasma_getBlock": ["previousHeaderHash": "0xzz", "transactions": []],
            "plasma_getTransaction": ["pending": "yes"],
            "plasma_getUtxos": [["utxoPos": 1_000_000_000, "amount": "0x1"]],
            "plasma_getSpend": ["blockNumber": .string("0x1" + String(repeating: "0", count: 16)), "txIndex": "0x0"],
        ])
        defer { node.stop() }
        let client = OperatorClient(rpc: node.rpc)
        XCTAssertUnexpectedReply(at: "plasma_sendTransaction", try client.send(.deposit(owner: owner, amount: .one)))
        XCTAssertUnexpectedReply(at: "plasma_getBlock.previousHeaderHash", try client.block(1000))
        XCTAssertUnexpectedReply(at: "plasma_getTransaction.pending", try client.transaction(.zero))
        XCTAssertUnexpectedReply(at: "plasma_getUtxos[0].utxoPos", try client.utxos(owner))
        XCTAssertUnexpectedReply(at: "plasma_getSpend.blockNumber", try client.spend(of: UTXOPosition.blockFactor))
    }

    func testOversizedBlocksAndBalancesPast2To256AreRefused() throws {
        let tooMany = ChildBlock.maxTransactions + 1
        let node = try CannedNode([
            "plasma_getBlock": ["previousHeaderHash": .string(H256.zero.description), "transactions": .array(Array(repeating: "0x", count: tooMany))],
            "plasma_getUtxos": [["utxoPos": "0x3b9aca00", "amount": RPCFormat.q(UInt256.max)], ["utxoPos": "0x3b9aca01", "amount": "0x1"]],
        ])
        defer { node.stop() }
        let client = OperatorClient(rpc: node.rpc)
        XCTAssertThrowsError(try client.block(1000)) { XCTAssertEqual($0 as? OperatorClient.Failure, .tooManyTransactions(block: 1000, count: tooMany)) }
        XCTAssertEqual(try client.utxos(owner).map(\.position), [try UTXOPosition(blockNumber: 1, txIndex: 0, outputIndex: 0),
                                                                 try UTXOPosition(blockNumber: 1, txIndex: 0, outputIndex: 1)])
        XCTAssertThrowsError(try client.balance(owner)) { XCTAssertEqual($0 as? OperatorClient.Failure, .balanceOverflow(owner)) }
    }

    func testAnUnknownBlockOrTransactionIsNil() throws {
        let node = try CannedNode(["plasma_getBlock": nil, "plasma_getTransaction": nil, "plasma_getSpend": nil])
        defer { node.stop() }
        let client = OperatorClient(rpc: node.rpc)
        XCTAssertNil(try client.block(1000))
        XCTAssertNil(try client.transaction(.zero))
        XCTAssertNil(try client.spend(of: UTXOPosition.blockFactor))
    }
}
