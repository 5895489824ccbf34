import AnkrChain
import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import AnkrTrie
import XCTest

/// Fraud proofs against an operator that puts invalid transactions into blocks: each kind of
/// violation is proven, the stake moves to the prover, the chain rolls back to the last valid block,
/// exits of rolled-back outputs are cancelled (when `finalizeExit` reaches them) with their bonds
/// returned; valid blocks cannot be "proven" fraudulent.
extension PlasmaRootTests {
    private var dave: PrivateKey { try! PrivateKey(hex: "0x" + String(repeating: "d4", count: 32)) }
    private var root: Address { ChildChainRegistry.rootAddress(1) }

    /// Chain 1 with Alice's 5-ANKR deposit (block 1) and a valid block 1000 where she pays Bob 4, keeps 1.
    private func validChain() throws -> (deposit: PlasmaTransaction, spend: PlasmaTransaction, block: ChildBlock) {
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        try send(alice, root, "deposit()", value: UInt256(5) &* ether)
        var spend = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: 0, outputIndex: 0)],
                                          outputs: [.init(owner: bob.address, amount: UInt256(4) &* ether), .init(owner: alice.address, amount: ether)])
        try spend.sign(input: 0, with: alice)
        let block = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [spend])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
        return (PlasmaTransaction.deposit(owner: alice.address, amount: UInt256(5) &* ether), spend, block)
    }

    private func signed(_ inputs: [PlasmaTransaction.Input], _ outputs: [PlasmaTransaction.Output], fee: UInt256 = .zero,
                        by keys: [PrivateKey]) throws -> PlasmaTransaction {
        var tx = try PlasmaTransaction(inputs: inputs, outputs: outputs, fee: fee)
        for (i, k) in keys.enumerated() { try tx.sign(input: i, with: k) }
        return tx
    }

    private var proveSig: String { "proveInvalidTransaction(uint256,bytes,bytes,bytes[],bytes[])" }

    private func proveArgs(_ block: ChildBlock, _ index: Int, inputs: [(PlasmaTransaction?, ChildBlock, Int)]) throws -> [ABIValue] {
        [.uint(UInt256(block.number * UTXOPosition.blockFactor + UInt64(index) * UTXOPosition.txFactor)), .bytes(block.transactions[index].encoded),
         .bytes(try block.tree().proof(index: index)),
         .array(inputs.map { .bytes($0.0?.encoded ?? []) }), .array(try inputs.map { .bytes(try $0.1.tree().proof(index: $0.2)) })]
    }

    private func fraudReason(_ result: SystemCallResult) throws -> String {
        let log = try XCTUnwrap(result.logs.first, "no FraudProven event")
        let decoded = try XCTUnwrap(PlasmaRoot.interface.decodeLog(topics: log.topics, data: log.data))
        XCTAssertEqual(decoded.event.name, "FraudProven")
        guard case .string(let reason) = decoded.arguments[2] else { return "" }
        return reason
    }

    func testEachKindOfInvalidTransactionIsProvenSlashedAndRolledBack() throws {
        let (deposit, spend, block1000) = try validChain()
        let depositBlock = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [deposit])
        let zero = UInt256.zero
        let cases: [(String, PlasmaTransaction, [(PlasmaTransaction?, ChildBlock, Int)])] = [
            ("not signed by the owner", try signed([.init(blockNumber: 1000, txIndex: 0, outputIndex: 0)], [.init(owner: carol.address, amount: UInt256(4) &* ether)],
                                                   by: [carol]), [(spend, block1000, 0)]),
            ("do not equal the inputs", try signed([.init(blockNumber: 1000, txIndex: 0, outputIndex: 0)], [.init(owner: carol.address, amount: UInt256(40) &* ether)],
                                                   by: [bob]), [(spend, block1000, 0)]),
            ("creates value", try PlasmaTransaction(inputs: [], outputs: [.init(owner: carol.address, amount: ether)]), []),
            ("does not exist", try signed([.init(blockNumber: 1000, txIndex: 3, outputIndex: 0)], [.init(owner: carol.address, amount: ether)],
                                          by: [bob]), [(nil, block1000, 3)]),
            ("does not exist", try signed([.init(blockNumber: 1000, txIndex: 0, outputIndex: 1), .init(blockNumber: 500, txIndex: 0, outputIndex: 0)],
                                          [.init(owner: carol.address, amount: ether)], by: [alice, alice]), [(spend, block1000, 0)]),
            ("same or a later block", try signed([.init(blockNumber: 2000, txIndex: 0, outputIndex: 0)], [.init(owner: carol.address, amount: zero)],
                                                 by: [bob]), []),
        ]
        for (reason, bad, inputs) in cases {
            let mark = state.snapshot()
            // Block 2000: a valid transaction of Bob's, then the bad one; Carol exits an output of 2000.
            let fine = try signed([.init(blockNumber: 1000, txIndex: 0, outputIndex: 0)], [.init(owner: carol.address, amount: UInt256(4) &* ether)], by: [bob])
            let block = try ChildBlock(number: 2000, previousHeaderHash: block1000.headerHash, transactions: [fine, bad])
            try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
            let carolPos = try UTXOPosition(blockNumber: 2000, txIndex: 0, outputIndex: 0)
            try send(carol, root, "startExit(uint256,bytes,bytes,bytes)",
                     [.uint(UInt256(carolPos.encoded)), .bytes(fine.encoded), .bytes(try block.tree().proof(index: 0)),
                      .bytes(try ConfirmSignature.sign(transaction: fine.hash, blockRoot: block.merkleRoot, with: bob))], value: rules.exitBond)
            // A valid transaction is no fraud.
            assertReverts("is valid") { try self.send(self.carol, self.root, self.proveSig, try self.proveArgs(block, 0, inputs: [(spend, block1000, 0)])) }
            assertReverts("Merkle proof") {
                var args = try self.proveArgs(block, 1, inputs: inputs)
                args[0] = .uint(UInt256(2000 * UTXOPosition.blockFactor))
                try self.send(self.carol, self.root, self.proveSig, args)
            }
            let result = try send(dave, root, proveSig, try proveArgs(block, 1, inputs: inputs))
            let why = try fraudReason(result)
            XCTAssertTrue(why.contains(reason), "\(reason): \(why)")
            var view = PlasmaRootState(state: state, root: root)
            XCTAssertEqual(try view.withdrawable(dave.address), ether, "the whole stake goes to the prover")
            XCTAssertEqual(try view.stake(), .zero)
            XCTAssertNil(try view.block(2000), "the fraudulent block is rolled back")
            XCTAssertNotNil(try view.block(1000))
            XCTAssertNotNil(try view.block(1), "deposit blocks stay")
            XCTAssertEqual(try view.latestOperatorBlock(), 1000)
            XCTAssertEqual(try view.lastHeaderHash(), block1000.headerHash)
            XCTAssertEqual(try view.exit(carolPos.encoded)?.status, .queued, "cancelled when it reaches the head of the queue, not by the proof")
            let proofTime = now
            now += 1_000
            XCTAssertEqual(try send(dave, root, "finalizeExit()").output, UInt256.zero.bigEndianBytes, "nothing paid")
            now = proofTime
            view = PlasmaRootState(state: state, root: root)
            XCTAssertEqual(try view.exit(carolPos.encoded)?.status, .cancelled)
            XCTAssertEqual(try view.withdrawable(carol.address), rules.exitBond, "a cancelled exit's bond goes back")
            XCTAssertEqual(try view.queue.count(&view.storage), 0)
            // Blocks stop until the operator stakes again; numbers keep going up from 3000.
            assertReverts("slashed") { try self.send(self.op, self.root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)]) }
            assertReverts("not on the chain") { try self.send(self.dave, self.root, self.proveSig, try self.proveArgs(block, 1, inputs: inputs)) }
            try send(op, root, "addStake()", value: ether)
            let next = try ChildBlock(number: 3000, previousHeaderHash: block1000.headerHash, transactions: [fine])
            try send(op, root, "submitBlock(bytes32)", [.fixedBytes(next.merkleRoot.bytes)])
            view = PlasmaRootState(state: state, root: root)
            XCTAssertEqual(try view.block(3000)?.headerHash, next.headerHash, "the header chain continues from the last valid block")
            state.revert(to: mark)
        }
        _ = depositBlock
    }

    func testDoubleSpendAndUndecodableTransactionsAreProven() throws {
        let (_, spend, block1000) = try validChain()
        // Block 2000 spends Alice's deposit a second time.
        let again = try signed([.init(blockNumber: 1, txIndex: 0, outputIndex: 0)], [.init(owner: carol.address, amount: UInt256(5) &* ether)], by: [alice])
        let block = try ChildBlock(number: 2000, previousHeaderHash: block1000.headerHash, transactions: [again])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
        let doubleSig = "proveDoubleSpend(uint256,bytes,bytes,uint256,bytes,bytes)"
        let a: [ABIValue] = [.uint(UInt256(1000 * UTXOPosition.blockFactor)), .bytes(spend.encoded), .bytes(try block1000.tree().proof(index: 0))]
        let b: [ABIValue] = [.uint(UInt256(2000 * UTXOPosition.blockFactor)), .bytes(again.encoded), .bytes(try block.tree().proof(index: 0))]
        assertReverts("name one transaction") { try self.send(self.dave, self.root, doubleSig, a + a) }
        let mark = state.snapshot()
        let result = try send(dave, root, doubleSig, b + a)
        XCTAssertTrue(try fraudReason(result).contains("spent twice"))
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertNil(try view.block(2000), "the later spend's block is the fraudulent one")
        XCTAssertNotNil(try view.block(1000))
        state.revert(to: mark)

        // A high-s signature: the strict decoder refuses the transaction, its raw leaf proves it is in the block.
        var malleable = spend.signatures[0]
        let n = try UInt256(parsing: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        let s = try XCTUnwrap(UInt256(bigEndian: Array(malleable[32..<64])))
        malleable.replaceSubrange(32..<64, with: (n &- s).bigEndianBytes)
        malleable[64] = malleable[64] == 27 ? 28 : 27
        var items = try RLP.decodeList(spend.encoded, count: 13)
        items[3] = .bytes(malleable)
        let raw = RLP.encode(.list(items))
        XCTAssertThrowsError(try PlasmaTransaction(encoded: raw))
        let leaf = try XCTUnwrap(PlasmaTransaction.rawLeaf(raw))
        let tree = try BinaryMerkleTree(leaves: [leaf])
        try send(op, root, "addStake()", value: ether)  // unchanged: not slashed, so this only adds
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(tree.root.bytes)])
        let proof = try send(dave, root, proveSig, [.uint(UInt256(3000 * UTXOPosition.blockFactor)), .bytes(raw), .bytes(try tree.proof(index: 0)),
                                                    .array([]), .array([])])
        XCTAssertTrue(try fraudReason(proof).contains("does not decode"))
        view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.withdrawable(dave.address), ether &+ ether, "the stake including the top-up")
        XCTAssertEqual(try view.latestOperatorBlock(), 2000)
    }
}
