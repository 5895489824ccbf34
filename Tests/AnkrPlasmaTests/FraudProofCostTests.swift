import AnkrChain
import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import AnkrTrie
import XCTest

/// A fraud proof's gas does not depend on what the operator piles up after the fraud: queued exits
/// and later blocks are cancelled lazily, so a proof always fits in a block, and `finalizeExit`
/// clears the cancelled exits a bounded number per call.
extension PlasmaRootTests {
    private var dave: PrivateKey { try! PrivateKey(hex: "0x" + String(repeating: "d4", count: 32)) }
    private var proveSig: String { "proveInvalidTransaction(uint256,bytes,bytes,bytes[],bytes[])" }

    /// Value created from nothing in an operator block: the cheapest fraud to exit (no confirm signatures).
    private func minted(_ amount: UInt64, to owner: PrivateKey) throws -> PlasmaTransaction {
        try PlasmaTransaction(inputs: [], outputs: [.init(owner: owner.address, amount: UInt256(amount))])
    }

    private func proveArgs(_ block: ChildBlock, _ index: Int) throws -> [ABIValue] {
        [.uint(UInt256(block.number * UTXOPosition.blockFactor + UInt64(index) * UTXOPosition.txFactor)), .bytes(block.transactions[index].encoded),
         .bytes(try block.tree().proof(index: index)), .array([]), .array([])]
    }

    func testAFraudProofCostsTheSameWithTwoHundredFiftyQueuedExitsAndThreeHundredLaterBlocks() throws {
        let root = ChildChainRegistry.rootAddress(1)
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let valid = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(valid.merkleRoot.bytes)])
        let fraud = try ChildBlock(number: 2000, previousHeaderHash: valid.headerHash, transactions: try (0..<250).map { try minted(UInt64($0) + 1, to: carol) })
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(fraud.merkleRoot.bytes)])
        let blockGasLimit: UInt64 = 30_000_000

        // One exit of a minted output and one block on top of the fraudulent one, then 249 and 299 more.
        let tree = fraud.tree()
        func exit(_ i: Int) throws {
            let position = try UTXOPosition(blockNumber: 2000, txIndex: UInt64(i), outputIndex: 0)
            try send(carol, root, "startExit(uint256,bytes,bytes,bytes)",
                     [.uint(UInt256(position.encoded)), .bytes(fraud.transactions[i].encoded), .bytes(try tree.proof(index: i)), .bytes([])],
                     value: rules.exitBond)
        }
        func later(_ n: Int) throws { try send(op, root, "submitBlock(bytes32)", [.fixedBytes(Keccak256.h256([UInt8(n % 256)]).bytes)]) }
        try exit(0)
        try later(3)
        let one = state.snapshot()
        let baseline = try send(dave, root, proveSig, try proveArgs(fraud, 0), gas: blockGasLimit).gasUsed
        state.revert(to: one)
        for i in 1..<250 { try exit(i) }
        for n in 4...302 { try later(n) }
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.queue.count(&view.storage), 250)

        let loaded = try send(dave, root, proveSig, try proveArgs(fraud, 0), gas: blockGasLimit).gasUsed
        XCTAssertEqual(loaded, baseline, "the proof's gas does not grow with the queue or the later blocks")
        XCTAssertLessThan(loaded, 500_000)
        view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.withdrawable(dave.address), ether)
        XCTAssertEqual(try view.latestOperatorBlock(), 1000)
        XCTAssertNil(try view.block(2000))
        XCTAssertNil(try view.block(302_000), "every later block is rolled back too")
        XCTAssertNotNil(try view.block(1000))

        // finalizeExit cancels them 16 per call, each call well inside a block, bonds back to Carol.
        now += 10_000
        var calls = 0, maxGas: UInt64 = 0
        while true {
            view = PlasmaRootState(state: state, root: root)
            guard try view.queue.count(&view.storage) > 0 else { break }
            let result = try send(dave, root, "finalizeExit()", gas: blockGasLimit)
            XCTAssertEqual(result.output, UInt256.zero.bigEndianBytes, "nothing is paid for a rolled-back output")
            maxGas = max(maxGas, result.gasUsed)
            calls += 1
        }
        XCTAssertEqual(calls, (250 + PlasmaRoot.maxFinalizedPerCall - 1) / PlasmaRoot.maxFinalizedPerCall)
        XCTAssertLessThan(maxGas, 3_000_000, "a finalize call's gas is bounded")
        view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.exit(try UTXOPosition(blockNumber: 2000, txIndex: 249, outputIndex: 0).encoded)?.status, .cancelled)
        XCTAssertEqual(try view.withdrawable(carol.address), UInt256(250) &* rules.exitBond)
        let carolBefore = try state.balance(carol.address)
        try send(carol, root, "withdraw()")
        XCTAssertEqual(try state.balance(carol.address), carolBefore &+ UInt256(250) &* rules.exitBond)
        try send(dave, root, "withdraw()")
        XCTAssertEqual(try state.balance(root), .zero, "the stake went to the prover and every bond back")
        print("fraud proof gas \(loaded) with 250 exits and 300 later blocks (\(baseline) with 1 and 1); finalize ≤ \(maxGas) gas per call, \(calls) calls")
    }

    func testRollbacksOfOlderAndNewerBlocksKeepOnlyTheValidChain() throws {
        let root = ChildChainRegistry.rootAddress(1)
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let a = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [try minted(5, to: bob)])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(a.merkleRoot.bytes)])
        let b = try ChildBlock(number: 2000, previousHeaderHash: a.headerHash, transactions: [try minted(7, to: bob)])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(b.merkleRoot.bytes)])
        try send(alice, root, "deposit()", value: ether)  // deposit block 2001

        // The newer fraud first: [2000, 3000) leaves; then 3000 follows 1000.
        try send(dave, root, proveSig, try proveArgs(b, 0))
        try send(op, root, "addStake()", value: ether)
        let c = try ChildBlock(number: 3000, previousHeaderHash: a.headerHash, transactions: [])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(c.merkleRoot.bytes)])
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertNil(try view.block(2000))
        XCTAssertEqual(try view.block(3000)?.headerHash, c.headerHash)

        // Then the older one: [1000, 4000) covers the first range and block 3000 built on the fraud.
        try send(dave, root, proveSig, try proveArgs(a, 0))
        view = PlasmaRootState(state: state, root: root)
        for n: UInt64 in [1000, 2000, 3000] { XCTAssertNil(try view.block(n), "\(n)") }
        XCTAssertNotNil(try view.block(2001), "deposit blocks stay")
        XCTAssertEqual(try view.latestOperatorBlock(), 0)
        XCTAssertEqual(try view.lastHeaderHash(), .zero)

        // A third, disjoint range [4000, 5000); 5000 is on the chain and the older ranges still hold.
        try send(op, root, "addStake()", value: ether)
        let d = try ChildBlock(number: 4000, previousHeaderHash: .zero, transactions: [try minted(9, to: bob)])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(d.merkleRoot.bytes)])
        try send(dave, root, proveSig, try proveArgs(d, 0))
        try send(op, root, "addStake()", value: ether)
        let e = try ChildBlock(number: 5000, previousHeaderHash: .zero, transactions: [])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(e.merkleRoot.bytes)])
        view = PlasmaRootState(state: state, root: root)
        for n: UInt64 in [1000, 2000, 3000, 4000] { XCTAssertNil(try view.block(n), "\(n)") }
        XCTAssertEqual(try view.block(5000)?.headerHash, e.headerHash)
        XCTAssertEqual(try view.latestOperatorBlock(), 5000)
        XCTAssertNil(try view.block(UInt64.max), "a lookup past every range neither traps nor finds anything")
        assertReverts("not on the chain") { try self.send(self.dave, root, self.proveSig, try self.proveArgs(a, 0)) }
    }
}
