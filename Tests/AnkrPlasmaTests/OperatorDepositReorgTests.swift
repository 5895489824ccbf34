import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import Foundation
import Logging
import XCTest

/// The operator follows the main chain's deposits at a confirmation depth and survives a
/// reorganisation of them: a deposit the main chain no longer holds is never money on the child chain.
final class OperatorDepositReorgTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))

    /// An operator over `store` following `chain`; its root client is never dialled (views and
    /// submissions are not used by `followMainChain`).
    func service(_ chain: FakeMainChain, confirmations: UInt64, store: ChildChainStore? = nil) throws -> OperatorService {
        let op = try PlasmaOperator(store: try store ?? ChildChainStore())
        let root = RootContractClient(rpc: RPCClient(url: URL(fileURLWithPath: "/nonexistent")), chain: 1)
        return OperatorService(operator: op, root: root, blockInterval: 1, blockSize: 1, logger: Logger(label: "test"),
                               depositConfirmations: confirmations, mainChain: chain)
    }

    func aliceSpendsDeposit(_ deposit: UInt64, to whom: PrivateKey) throws -> PlasmaTransaction {
        var tx = try PlasmaTransaction(inputs: [.init(try UTXOPosition(blockNumber: deposit, txIndex: 0, outputIndex: 0))],
                                       outputs: [.init(owner: whom.address, amount: UInt256(500))], fee: .zero)
        try tx.sign(input: 0, with: alice)
        return tx
    }

    func testDepositIsTakenOnlyOnceItsBlockIsConfirmationsDeep() throws {
        let chain = FakeMainChain()
        let s = try service(chain, confirmations: 3)
        chain.mine(deposits: [(1, alice.address, 500)])  // main block 1
        for head in UInt64(1)...3 {
            chain.mine(until: head)
            try s.followMainChain()
            XCTAssertEqual(s.chainOperator.balance(of: alice.address), .zero, "taken at depth \(head - 1)")
        }
        chain.mine(until: 4)
        try s.followMainChain()
        XCTAssertEqual(s.chainOperator.balance(of: alice.address), UInt256(500))
        XCTAssertEqual(s.chainOperator.depositAnchors[1], MainChainAnchor(number: 1, hash: try XCTUnwrap(try chain.blockHash(at: 1))))
    }

    func testDepositReorganisedAwayBeforeItIsDeepIsNeverTaken() throws {
        let chain = FakeMainChain()
        let s = try service(chain, confirmations: 3)
        chain.mine(deposits: [(1, alice.address, 500)])
        chain.mine(until: 3)
        try s.followMainChain()
        // The branch that wins holds another deposit at the same deposit number, Bob's.
        chain.reorganise(keeping: 0)
        chain.mine()
        chain.mine(deposits: [(1, bob.address, 7)])
        chain.mine(until: 10)
        try s.followMainChain()
        XCTAssertEqual(s.chainOperator.balance(of: alice.address), .zero)
        XCTAssertEqual(s.chainOperator.balance(of: bob.address), UInt256(7))
    }

    func testDepositReorganisedAwayAfterBeingTakenIsForgottenWithThePendingTransactionSpendingIt() throws {
        let chain = FakeMainChain()
        let store = try ChildChainStore()
        let s = try service(chain, confirmations: 1, store: store)
        chain.mine(deposits: [(1, alice.address, 500)])
        chain.mine(until: 2)
        try s.followMainChain()
        XCTAssertEqual(s.chainOperator.balance(of: alice.address), UInt256(500))
        let spend = try aliceSpendsDeposit(1, to: bob)
        try s.chainOperator.accept(spend.encoded)

        chain.reorganise(keeping: 0)
        chain.mine(until: 5)
        try s.followMainChain()
        XCTAssertEqual(s.chainOperator.balance(of: alice.address), .zero)
        XCTAssertEqual(s.chainOperator.pendingCount, 0)
        XCTAssertNil(s.chainOperator.ledgerSnapshot.blocks[1])
        XCTAssertNil(try s.chainOperator.buildBlock(number: 1000), "nothing left to build a block from")
        // The store agrees: a restarted operator has neither the deposit nor the spend.
        let reopened = try PlasmaOperator(store: store)
        XCTAssertNil(reopened.ledgerSnapshot.blocks[1])
        XCTAssertEqual(reopened.pendingCount, 0)
        // The same deposit number, deposited again on the new branch, is taken once deep.
        chain.mine(deposits: [(1, alice.address, 9)])
        chain.mine(until: 7)
        try s.followMainChain()
        XCTAssertEqual(s.chainOperator.balance(of: alice.address), UInt256(9))
    }

    func testDepositSpentInAChildBlockThenReorganisedAwayStopsTheOperator() throws {
        let chain = FakeMainChain()
        let s = try service(chain, confirmations: 1)
        chain.mine(deposits: [(1, alice.address, 500)])
        chain.mine(until: 2)
        try s.followMainChain()
        try s.chainOperator.accept(try aliceSpendsDeposit(1, to: bob).encoded)
        XCTAssertNotNil(try s.chainOperator.buildBlock(number: 1000))

        chain.reorganise(keeping: 0)
        chain.mine(until: 4)
        XCTAssertThrowsError(try s.followMainChain()) { e in
            guard let fatal = e as? OperatorService.Fatal else { return XCTFail("\(e)") }
            XCTAssertTrue(fatal.description.contains("deposit 1 is gone from the main chain"), fatal.description)
        }
        // Nothing was rolled back behind the operator's back: the block and its spend stand.
        XCTAssertNotNil(s.chainOperator.ledgerSnapshot.blocks[1000])
        XCTAssertEqual(s.chainOperator.balance(of: bob.address), UInt256(500))
    }

    func testSpentDepositMinedAgainInALaterBlockIsKeptOnceDeep() throws {
        let chain = FakeMainChain()
        let s = try service(chain, confirmations: 1)
        chain.mine(deposits: [(1, alice.address, 500)])
        chain.mine(until: 2)
        try s.followMainChain()
        try s.chainOperator.accept(try aliceSpendsDeposit(1, to: bob).encoded)
        XCTAssertNotNil(try s.chainOperator.buildBlock(number: 1000))

        // The same deposit lands one block later on the winning branch.
        chain.reorganise(keeping: 0)
        chain.mine()
        chain.mine(deposits: [(1, alice.address, 500)])
        XCTAssertThrowsError(try s.followMainChain()) { e in
            XCTAssertTrue(e is OperatorService.Waiting, "\(e)")
        }
        chain.mine(until: 3)
        try s.followMainChain()
        XCTAssertEqual(s.chainOperator.depositAnchors[1]?.number, 2)
        XCTAssertEqual(s.chainOperator.balance(of: bob.address), UInt256(500))
    }

    func testExitIsTakenAtTheHeadAndOneAReorganisationMovesIsStillSeen() throws {
        let chain = FakeMainChain()
        let s = try service(chain, confirmations: 3)
        chain.mine(deposits: [(1, alice.address, 500), (2, bob.address, 300)])
        chain.mine(until: 4)
        try s.followMainChain()
        let alicePos = ChildChainLedger.Location(block: 1, index: 0).position
        let bobPos = ChildChainLedger.Location(block: 2, index: 0).position
        chain.mine(exits: [(alice.address, alicePos)])  // block 5, the head
        try s.followMainChain()
        XCTAssertTrue(s.chainOperator.isExiting(alicePos), "an exit is taken at the head")

        // Block 5 is replaced by one holding Bob's exit: above the confirmed depth, so it is read again.
        chain.reorganise(keeping: 4)
        chain.mine(exits: [(bob.address, bobPos)])
        try s.followMainChain()
        XCTAssertTrue(s.chainOperator.isExiting(bobPos))
    }

    /// A submission an earlier round sent and did not see mined is still in the main chain's pool:
    /// the operator waits for it instead of sending the root again (the contract would store it twice).
    func testASubmissionStillPendingIsNotSentAgain() throws {
        let sends = ResultSlots<Int>(count: 1)
        let table = RPCMethodTable()
        table.register("eth_getTransactionCount") { params in params.value(1) == .string("pending") ? "0x5" : "0x4" }
        // getChildBlock(1000): no root yet (zero root, zero header hash, zero timestamp).
        table.register("eth_call") { _ in .string("0x" + String(repeating: "00", count: 96)) }
        table.register("eth_sendRawTransaction") { _ in
            sends[0] = (sends[0] ?? 0) + 1
            return .string("0x" + String(repeating: "00", count: 32))
        }
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: table)
        defer { server.shutdown() }
        let rpc = RPCClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)")), timeout: 10)
        let op = try PlasmaOperator(store: try ChildChainStore())
        try op.recordDeposit(block: 1, owner: alice.address, amount: UInt256(500))
        try op.accept(try aliceSpendsDeposit(1, to: bob).encoded)
        _ = try XCTUnwrap(try op.buildBlock(number: 1000))
        let root = RootContractClient(rpc: rpc, chain: 1, transactor: Transactor(rpc: rpc, signer: alice))
        let s = OperatorService(operator: op, root: root, blockInterval: 1, blockSize: 1, logger: Logger(label: "test"),
                                depositConfirmations: 1, mainChain: FakeMainChain())
        XCTAssertThrowsError(try s.tick()) { error in
            guard case .submissionInFlight(1000, 5, 4)? = error as? OperatorService.Waiting else { return XCTFail("\(error)") }
        }
        XCTAssertNil(sends[0], "no second submission")
        XCTAssertEqual(op.blockAwaitingSubmission?.number, 1000)
    }
}
