import AnkrPrimitives
import AnkrRPC
import XCTest

/// ``ConfirmationWaiter`` against a ``ScriptedChain`` that moves and reorganises between polls: success
/// only `n` blocks deep on the canonical chain, a transaction followed into its new block when its
/// block is orphaned, handed back to a node that lost it, and a deadline that names what was reached.
final class ConfirmationWaiterTests: XCTestCase {
    let tx = Keccak256.h256(Array("the transaction".utf8))
    let raw: [UInt8] = [0x02, 0xf8, 0x6a, 0x01]

    func waiter(_ confirmations: Int, seconds: Double = 5, perConfirmation: Double = 0) throws -> ConfirmationWaiter {
        try ConfirmationWaiter(confirmations: confirmations, seconds: seconds, secondsPerConfirmation: perConfirmation,
                               pollInterval: 0, resendInterval: 0)
    }

    func testReportsOnlyOnceTheBlockIsNDeep() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.mine(4)
        chain.pooled = true
        chain.script = [{ $0.mineTransaction() }] + Array(repeating: { $0.mine(1) }, count: 10)
        var heard: [ConfirmationProgress] = []
        let receipt = try waiter(3).wait(for: tx, on: chain) { heard.append($0) }
        XCTAssertEqual(receipt.blockNumber, 5)
        XCTAssertEqual(chain.head, 7, "block 5 plus 3 − 1")
        XCTAssertEqual(heard, [.waiting(tx, block: 5, wanted: 3)], "one line per block the transaction is in")
        XCTAssertEqual(heard.first?.description, "waiting for 3 confirmations of \(tx) (block 5)")
    }

    func testOneConfirmationIsTheCanonicalBlockItself() throws {
        let chain = ScriptedChain(transaction: tx, script: [{ _ in }, { $0.mineTransaction() }])
        var heard: [ConfirmationProgress] = []
        let receipt = try waiter(1).wait(for: tx, on: chain) { heard.append($0) }
        XCTAssertEqual(receipt.blockNumber, 1)
        XCTAssertEqual(chain.receiptQueries, 2)
        XCTAssertEqual(heard, [], "nothing to wait for once mined")
    }

    func testFollowsTheTransactionIntoItsBlockOnTheWinningBranch() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.mine(4)
        chain.script = [
            { $0.mineTransaction() }, { $0.mine(1) },
            // Branch 1 takes over above block 4 with three blocks; the pool keeps the transaction…
            { $0.reorg(above: 4, to: 1, count: 3) }, { $0.mine(1, branch: 1) },
            // … which branch 1 then mines in block 9, and builds on.
            { $0.mineTransaction(branch: 1) },
        ] + Array(repeating: { $0.mine(1, branch: 1) }, count: 10)
        var heard: [ConfirmationProgress] = []
        let receipt = try waiter(3).wait(for: tx, on: chain, resending: raw) { heard.append($0) }
        XCTAssertEqual(receipt.blockNumber, 9)
        XCTAssertEqual(receipt.blockHash, ScriptedChain.blockHash(branch: 1, number: 9))
        XCTAssertEqual(chain.head, 11)
        XCTAssertEqual(heard, [.waiting(tx, block: 5, wanted: 3), .orphaned(tx, block: 5), .waiting(tx, block: 9, wanted: 3)])
        XCTAssertEqual(heard[1].description, "block 5 holding \(tx) was orphaned; following the transaction")
        XCTAssertEqual(chain.sent, [], "the node still had it")
    }

    func testABlockReplacedBetweenTwoPollsIsToldAsOrphaned() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.mine(4)
        chain.script = [
            { $0.mineTransaction() },
            { $0.reorg(above: 4, to: 1, count: 0); $0.mineTransaction(branch: 1) },
            { $0.mine(1, branch: 1) },
        ]
        var heard: [ConfirmationProgress] = []
        let receipt = try waiter(2).wait(for: tx, on: chain) { heard.append($0) }
        XCTAssertEqual(receipt.blockHash, ScriptedChain.blockHash(branch: 1, number: 5))
        XCTAssertEqual(heard, [.waiting(tx, block: 5, wanted: 2), .orphaned(tx, block: 5), .waiting(tx, block: 5, wanted: 2)])
    }

    func testAReceiptFromAnOrphanedBlockDoesNotCount() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.mine(4)
        chain.script = [
            { $0.mineTransaction() },
            // The node's receipt index still names block 5 of branch 0 while branch 2 runs far ahead.
            { $0.reorg(above: 4, to: 2, count: 20, staleReceipt: true) }, { $0.mine(1, branch: 2) }, { $0.mine(1, branch: 2) },
            { $0.mineTransaction(branch: 2) }, { $0.mine(1, branch: 2) },
        ]
        var heard: [ConfirmationProgress] = []
        let receipt = try waiter(2).wait(for: tx, on: chain) { heard.append($0) }
        XCTAssertEqual(receipt.blockHash, ScriptedChain.blockHash(branch: 2, number: 27))
        XCTAssertEqual(heard, [.waiting(tx, block: 5, wanted: 2), .orphaned(tx, block: 5), .waiting(tx, block: 27, wanted: 2)])
    }

    func testHandsTheSignedTransactionBackToANodeThatLostIt() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.mine(2)
        chain.script = [{ $0.mineTransaction() }, { $0.reorg(above: 2, to: 1, count: 2, poolKeeps: false) }, { _ in },
                        { $0.mineTransaction(branch: 1) }, { $0.mine(1, branch: 1) }]
        var heard: [ConfirmationProgress] = []
        let receipt = try waiter(2).wait(for: tx, on: chain, resending: raw) { heard.append($0) }
        XCTAssertEqual(chain.sent, [raw])
        XCTAssertEqual(receipt.blockHash, ScriptedChain.blockHash(branch: 1, number: 5))
        XCTAssertEqual(heard, [.waiting(tx, block: 3, wanted: 2), .orphaned(tx, block: 3), .resent(tx), .waiting(tx, block: 5, wanted: 2)])
    }

    func testTheDeadlineNamesTheHashTheConfirmationsReachedAndTheSecondsWaited() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.mineTransaction()
        let started = Date()
        XCTAssertThrowsError(try waiter(3, seconds: 0.3).wait(for: tx, on: chain)) { error in
            guard case .unconfirmed(let hash, let reached, let wanted, let seconds, let refusal)? = error as? TransactorError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(hash, tx)
            XCTAssertEqual(reached, 1)
            XCTAssertEqual(wanted, 3)
            XCTAssertEqual(seconds, 0)
            XCTAssertNil(refusal)
            XCTAssertEqual("\(error)", "transaction \(tx) has 1 of 3 confirmations after 0 s")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testEachFurtherConfirmationExtendsTheDeadline() throws {
        XCTAssertEqual(try ConfirmationWaiter(confirmations: 1, seconds: 120).seconds, 120)
        XCTAssertEqual(try ConfirmationWaiter(confirmations: 3, seconds: 60, secondsPerConfirmation: 30).seconds, 120)
        XCTAssertEqual(try ConfirmationWaiter(confirmations: ConfirmationWaiter.maxConfirmations, seconds: 86_400,
                                              secondsPerConfirmation: 3_600).seconds, 86_400 + 999 * 3_600, "bounded")
    }

    func testANeverMinedTransactionIsStillNoReceipt() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.pooled = true
        XCTAssertThrowsError(try waiter(1, seconds: 0.1).wait(for: tx, on: chain)) { error in
            XCTAssertEqual("\(error)", "no receipt for \(tx) after 0 s")
        }
    }

    func testARefusedResendIsReportedAtTheDeadline() throws {
        let chain = ScriptedChain(transaction: tx)
        let refusal = RPCClientError.rpc(RPCError(code: -32000, message: "nonce too low"))
        chain.sendError = refusal
        XCTAssertThrowsError(try waiter(2, seconds: 0.2).wait(for: tx, on: chain, resending: raw)) { error in
            XCTAssertEqual(error as? TransactorError, .unconfirmed(tx, reached: 0, wanted: 2, seconds: 0, resendRefused: refusal))
            XCTAssertEqual("\(error)", "transaction \(tx) has 0 of 2 confirmations after 0 s; the node refused to take it again: nonce too low")
        }
        XCTAssertFalse(chain.sent.isEmpty)
    }

    func testAnUnreachableNodeDuringAResendEndsTheWait() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.sendError = .transport("connection refused")
        XCTAssertThrowsError(try waiter(1, seconds: 30).wait(for: tx, on: chain, resending: raw)) { error in
            XCTAssertEqual(error as? RPCClientError, .transport("connection refused"))
        }
        XCTAssertEqual(chain.sent.count, 1)
    }

    func testAHeadBelowTheReceiptsBlockCountsNothing() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.mine(4)
        chain.mineTransaction()
        chain.reportedHead = 3
        XCTAssertThrowsError(try waiter(1, seconds: 0.1).wait(for: tx, on: chain)) { error in
            guard case .unconfirmed(_, let reached, _, _, _)? = error as? TransactorError else { return XCTFail("\(error)") }
            XCTAssertEqual(reached, 0)
        }
    }

    func testAnAbsurdHeadDoesNotOverflowTheDepth() throws {
        let chain = ScriptedChain(transaction: tx)
        chain.receiptBlock = (0, ScriptedChain.blockHash(branch: 0, number: 0))
        chain.reportedHead = .max
        XCTAssertEqual(try waiter(ConfirmationWaiter.maxConfirmations).wait(for: tx, on: chain).blockNumber, 0)
    }

    func testCountsAndAllowancesOutOfRangeAreRefused() {
        for n in [0, -1, Int.min, ConfirmationWaiter.maxConfirmations + 1, Int.max] {
            XCTAssertThrowsError(try ConfirmationWaiter(confirmations: n)) { XCTAssertEqual($0 as? TransactorError, .confirmationsOutOfRange(n)) }
        }
        for s in [0, -1, .nan, .infinity, -.infinity, ConfirmationWaiter.maxSeconds + 1] {
            XCTAssertThrowsError(try ConfirmationWaiter(seconds: s)) {
                guard case .waitOutOfRange? = $0 as? TransactorError else { return XCTFail("\($0)") }
            }
        }
        for s in [-1, .nan, .infinity, ConfirmationWaiter.maxSecondsPerConfirmation + 1] {
            XCTAssertThrowsError(try ConfirmationWaiter(confirmations: 2, secondsPerConfirmation: s)) {
                guard case .waitOutOfRange? = $0 as? TransactorError else { return XCTFail("\($0)") }
            }
        }
        XCTAssertEqual("\(TransactorError.confirmationsOutOfRange(0))", "confirmations must be 1 to 1000, not 0")
    }
}
