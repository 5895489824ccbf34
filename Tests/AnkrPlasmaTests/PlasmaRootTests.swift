import AnkrChain
import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import AnkrStorage
import AnkrTrie
import Foundation
import XCTest

/// The root contract's whole story on a main-chain state: create a chain, deposit, spend off
/// chain, submit the block, exit, challenge a spent output's exit, finalize, withdraw.
final class PlasmaRootTests: XCTestCase {
    let op = try! PrivateKey(hex: "0x" + String(repeating: "0e", count: 32))
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let carol = try! PrivateKey(hex: "0x" + String(repeating: "c3", count: 32))
    let ether = UInt256(1_000_000_000_000_000_000)
    var rules = PlasmaRules()
    var registry: SystemContractRegistry!
    var state: WorldState!
    var now: UInt64 = 1_000_000

    override func setUpWithError() throws {
        rules.challengePeriodSeconds = 100
        rules.exitAgeCapSeconds = 50
        rules.exitBond = UInt256(1_000)
        registry = SystemContractRegistry([ChildChainRegistry(rules: rules), PlasmaRoot(rules: rules)])
        state = WorldState()
        for k in [op, alice, bob, carol] { try state.setBalance(k.address, UInt256(100) &* ether) }
    }

    /// A call as a transaction makes it: value first, everything undone on failure.
    @discardableResult
    func send(_ from: PrivateKey, _ to: Address, _ signature: String, _ args: [ABIValue] = [], value: UInt256 = .zero,
              gas: UInt64 = 10_000_000) throws -> SystemCallResult {
        let contract = try XCTUnwrap(registry.contract(at: to), "no system contract at \(to)")
        let mark = state.snapshot()
        do {
            try state.subtractBalance(from.address, value)
            try state.addBalance(to, value)
            let context = BlockContext(chainID: 7331, coinbase: .zero, number: 1, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
            return try contract.call(SystemCall(address: to, caller: from.address, value: value, input: ABI.encodeCall(signature, args),
                                                gasAvailable: gas, block: context), state: state)
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    func testDepositSpendExitChallengeFinalizeWithdraw() throws {
        // The operator stakes and gets chain 1 at its own root address.
        let created = try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let root = ChildChainRegistry.rootAddress(1)
        XCTAssertEqual(try ABI.decode([.uint(bits: 256), .address], from: created.output), [.uint(.one), .address(root)])
        XCTAssertEqual(try state.balance(root), ether)
        XCTAssertEqual(try state.code(root), SystemContractRegistry.markerCode)
        assertReverts("stake of at least") { try self.send(self.bob, ChildChainRegistry.address, "createChildChain()", value: .one) }
        assertReverts("no child chain") { try self.send(self.bob, ChildChainRegistry.rootAddress(2), "deposit()", value: .one) }

        // Alice deposits 5 ANKR: deposit block 1 holds her deposit transaction.
        try send(alice, root, "deposit()", value: UInt256(5) &* ether)
        let deposit = PlasmaTransaction.deposit(owner: alice.address, amount: UInt256(5) &* ether)
        let depositBlock = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [deposit])
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.block(1)?.root, depositBlock.merkleRoot)

        // Off chain she pays Bob 4 and keeps 1; the operator submits block 1000 with it.
        var spend = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: 0, outputIndex: 0)],
                                          outputs: [.init(owner: bob.address, amount: UInt256(4) &* ether), .init(owner: alice.address, amount: ether)])
        try spend.sign(input: 0, with: alice)
        let block = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [spend])
        assertReverts("only the operator") { try self.send(self.bob, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)]) }
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
        view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.block(1000)?.headerHash, block.headerHash, "header = keccak(root ‖ previous header)")
        XCTAssertEqual(try view.nextChildBlock(), 2000)

        // Bob exits his output with Alice's confirmation.
        let bobOutput = try UTXOPosition(blockNumber: 1000, txIndex: 0, outputIndex: 0)
        let proof = try block.tree().proof(index: 0)
        let confirm = try ConfirmSignature.sign(transaction: spend.hash, blockRoot: block.merkleRoot, with: alice)
        func exitArgs(_ pos: UTXOPosition, _ tx: PlasmaTransaction, _ proof: [UInt8], _ confirms: [UInt8]) -> [ABIValue] {
            [.uint(UInt256(pos.encoded)), .bytes(tx.encoded), .bytes(proof), .bytes(confirms)]
        }
        let exitSig = "startExit(uint256,bytes,bytes,bytes)"
        assertReverts("bond of exactly") { try self.send(self.bob, root, exitSig, exitArgs(bobOutput, spend, proof, confirm), value: .one) }
        assertReverts("only the owner") { try self.send(self.carol, root, exitSig, exitArgs(bobOutput, spend, proof, confirm), value: self.rules.exitBond) }
        assertReverts("confirm signature 1 is not by the owner of input 1") {
            let forged = try ConfirmSignature.sign(transaction: spend.hash, blockRoot: block.merkleRoot, with: self.carol)
            try self.send(self.bob, root, exitSig, exitArgs(bobOutput, spend, proof, forged), value: self.rules.exitBond)
        }
        assertReverts("one 65-byte confirm signature per input") {
            try self.send(self.bob, root, exitSig, exitArgs(bobOutput, spend, proof, []), value: self.rules.exitBond)
        }
        var badProof = proof
        badProof[5] ^= 1
        assertReverts("Merkle proof") { try self.send(self.bob, root, exitSig, exitArgs(bobOutput, spend, badProof, confirm), value: self.rules.exitBond) }

        // Contracts acting on a child payment (the lease dApp) get it proven: signers, outputs, the block's time.
        let verify = "verifyTransaction(uint256,uint256,bytes,bytes)"
        let verified = try ABI.decode([.address, .address, .address, .uint(bits: 256), .address, .uint(bits: 256), .uint(bits: 256)],
                                      from: try send(carol, root, verify, [.uint(UInt256(1000)), .uint(.zero), .bytes(spend.encoded), .bytes(proof)]).output)
        XCTAssertEqual(verified, [.address(alice.address), .address(.zero), .address(bob.address), .uint(UInt256(4) &* ether), .address(alice.address),
                                  .uint(ether), .uint(UInt256(now))])
        assertReverts("Merkle proof") { try self.send(self.carol, root, verify, [.uint(UInt256(1000)), .uint(.zero), .bytes(spend.encoded), .bytes(badProof)]) }
        assertReverts("Merkle proof") { try self.send(self.carol, root, verify, [.uint(UInt256(1000)), .uint(.one), .bytes(spend.encoded), .bytes(proof)]) }
        assertReverts("was not submitted") { try self.send(self.carol, root, verify, [.uint(UInt256(2000)), .uint(.zero), .bytes(spend.encoded), .bytes(proof)]) }
        assertReverts("out of range") { try self.send(self.carol, root, verify, [.uint(.max), .uint(.zero), .bytes(spend.encoded), .bytes(proof)]) }
        assertReverts("RLP") { try self.send(self.carol, root, verify, [.uint(UInt256(1000)), .uint(.zero), .bytes([0xc0]), .bytes(proof)]) }
        assertReverts("was not submitted") {
            try self.send(self.bob, root, exitSig, exitArgs(try UTXOPosition(blockNumber: 3000, txIndex: 0, outputIndex: 0), spend, proof, confirm),
                          value: self.rules.exitBond)
        }
        try send(bob, root, exitSig, exitArgs(bobOutput, spend, proof, confirm), value: rules.exitBond)
        assertReverts("already exiting") { try self.send(self.bob, root, exitSig, exitArgs(bobOutput, spend, proof, confirm), value: self.rules.exitBond) }

        // Alice tries to exit her spent deposit too; Carol proves the spend and takes the bond.
        let depositPos = try UTXOPosition(blockNumber: 1, txIndex: 0, outputIndex: 0)
        try send(alice, root, exitSig, exitArgs(depositPos, deposit, try depositBlock.tree().proof(index: 0), []), value: rules.exitBond)
        let challengeSig = "challengeExit(uint256,uint256,bytes,bytes,bytes)"
        let challenge: [ABIValue] = [.uint(UInt256(depositPos.encoded)), .uint(UInt256(bobOutput.encoded)), .bytes(spend.encoded), .bytes(proof), .bytes(confirm)]
        assertReverts("not by the exit's owner") {
            var wrong = challenge
            wrong[4] = .bytes(try ConfirmSignature.sign(transaction: spend.hash, blockRoot: block.merkleRoot, with: self.carol))
            try self.send(self.carol, root, challengeSig, wrong)
        }
        assertReverts("does not spend") {
            var wrong = challenge
            wrong[0] = .uint(UInt256(bobOutput.encoded))
            try self.send(self.carol, root, challengeSig, wrong)
        }
        try send(carol, root, challengeSig, challenge)
        view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.exit(depositPos.encoded)?.status, .challenged)
        XCTAssertEqual(try view.withdrawable(carol.address), rules.exitBond)
        XCTAssertEqual(try view.queue.count(&view.storage), 1, "only Bob's exit is still queued")

        // Nothing matures before its time; then Bob's exit pays amount + bond, once.
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256.zero.bigEndianBytes)
        now += rules.challengePeriodSeconds
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256.one.bigEndianBytes)
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256.zero.bigEndianBytes)
        let bobBefore = try state.balance(bob.address)
        try send(bob, root, "withdraw()")
        XCTAssertEqual(try state.balance(bob.address), bobBefore &+ UInt256(4) &* ether &+ rules.exitBond)
        assertReverts("nothing to withdraw") { try self.send(self.bob, root, "withdraw()") }
        try send(carol, root, "withdraw()")
        // The root keeps the stake and what is still inside the child chain (Alice's 1 ANKR), to the wei.
        XCTAssertEqual(try state.balance(root), ether &+ ether)
    }

    /// The operator's pay is its transactions' fees: exited in batches, each proven and confirmed like an output, each
    /// claimed once, never challengeable by a spend, cancelled with a rolled-back block — and what every user and the
    /// operator withdraw in the end is exactly what was deposited.
    func testTheOperatorExitsItsFeesOnceAndNeverTheUsersCollateral() throws {
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let root = ChildChainRegistry.rootAddress(1)
        let tenth = UInt256(100_000_000_000_000_000)
        try send(alice, root, "deposit()", value: UInt256(5) &* ether)
        try send(bob, root, "deposit()", value: UInt256(3) &* ether)
        let deposits = [PlasmaTransaction.deposit(owner: alice.address, amount: UInt256(5) &* ether),
                        PlasmaTransaction.deposit(owner: bob.address, amount: UInt256(3) &* ether)]
        // Block 1000: Alice pays Bob 4 (fee 0.1), Bob pays Carol 2.5 (fee 0.5). Block 2000: Bob pays Carol 3.8 of his 4 (fee 0.2).
        var t1 = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: 0, outputIndex: 0)],
                                       outputs: [.init(owner: bob.address, amount: UInt256(4) &* ether), .init(owner: alice.address, amount: UInt256(9) &* tenth)],
                                       fee: tenth)
        try t1.sign(input: 0, with: alice)
        var t2 = try PlasmaTransaction(inputs: [.init(blockNumber: 2, txIndex: 0, outputIndex: 0)],
                                       outputs: [.init(owner: carol.address, amount: UInt256(25) &* tenth)], fee: UInt256(5) &* tenth)
        try t2.sign(input: 0, with: bob)
        let b1000 = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [t1, t2])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(b1000.merkleRoot.bytes)])
        var t3 = try PlasmaTransaction(inputs: [.init(blockNumber: 1000, txIndex: 0, outputIndex: 0)],
                                       outputs: [.init(owner: carol.address, amount: UInt256(38) &* tenth)], fee: UInt256(2) &* tenth)
        try t3.sign(input: 0, with: bob)
        let b2000 = try ChildBlock(number: 2000, previousHeaderHash: b1000.headerHash, transactions: [t3])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(b2000.merkleRoot.bytes)])

        func confirm(_ tx: PlasmaTransaction, _ block: ChildBlock, _ key: PrivateKey) throws -> [UInt8] {
            try ConfirmSignature.sign(transaction: tx.hash, blockRoot: block.merkleRoot, with: key)
        }
        func pos(_ block: UInt64, _ index: UInt64, _ output: UInt64 = 0) throws -> UInt256 {
            UInt256(try UTXOPosition(blockNumber: block, txIndex: index, outputIndex: output).encoded)
        }
        let feeSig = "startFeeExit(uint256[],bytes[],bytes[],bytes[])"
        func args(_ entries: [(UInt256, PlasmaTransaction, [UInt8], [UInt8])]) -> [ABIValue] {
            [.array(entries.map { .uint($0.0) }), .array(entries.map { .bytes($0.1.encoded) }), .array(entries.map { .bytes($0.2) }),
             .array(entries.map { .bytes($0.3) })]
        }
        let e1 = (try pos(1000, 0), t1, try b1000.tree().proof(index: 0), try confirm(t1, b1000, alice))
        let e2 = (try pos(1000, 1), t2, try b1000.tree().proof(index: 1), try confirm(t2, b1000, bob))
        let e3 = (try pos(2000, 0), t3, try b2000.tree().proof(index: 0), try confirm(t3, b2000, bob))
        let bond = rules.exitBond

        assertReverts("only the operator exits fees") { try self.send(self.alice, root, feeSig, args([e1]), value: bond) }
        assertReverts("bond of exactly") { try self.send(self.op, root, feeSig, args([e1]), value: .one) }
        assertReverts("give 1 to 32") { try self.send(self.op, root, feeSig, args([]), value: bond) }
        assertReverts("give 1 to 32") { try self.send(self.op, root, feeSig, args(Array(repeating: e1, count: 33)), value: bond) }
        assertReverts("increasing position, each once") { try self.send(self.op, root, feeSig, args([e2, e1]), value: bond) }
        assertReverts("increasing position, each once") { try self.send(self.op, root, feeSig, args([e1, e1]), value: bond) }
        assertReverts("with output index 0") { try self.send(self.op, root, feeSig, args([(try pos(1000, 0, 1), t1, e1.2, e1.3)]), value: bond) }
        assertReverts("pays no fee") {
            let depositBlock = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [deposits[0]])
            try self.send(self.op, root, feeSig, args([(try pos(1, 0), deposits[0], depositBlock.tree().proof(index: 0), [])]), value: bond)
        }
        // A withheld or unconfirmed transaction's fee cannot exit: its owners' confirmations are the proof the block was seen.
        assertReverts("confirm signature 1 is not by the owner of input 1") {
            try self.send(self.op, root, feeSig, args([(e1.0, t1, e1.2, try confirm(t1, b1000, self.op))]), value: bond)
        }
        assertReverts("one 65-byte confirm signature per input") { try self.send(self.op, root, feeSig, args([(e1.0, t1, e1.2, [])]), value: bond) }
        assertReverts("Merkle proof") { try self.send(self.op, root, feeSig, args([(e1.0, t2, e1.2, e1.3)]), value: bond) }

        // Alice tries to exit the deposit she spent in t1; nobody challenges it, but the fee exit proves the spend: it
        // cancels her exit (her bond to the operator) and she can never start another.
        let exitSig = "startExit(uint256,bytes,bytes,bytes)"
        let depositBlock = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [deposits[0]])
        let depositExit: [ABIValue] = [.uint(try pos(1, 0)), .bytes(deposits[0].encoded), .bytes(try depositBlock.tree().proof(index: 0)), .bytes([])]
        try send(alice, root, exitSig, depositExit, value: bond)

        // One exit for both fees of block 1000, at 1000:1 with output index 2; each fee once.
        let batch = try send(op, root, feeSig, args([e1, e2]), value: bond)
        let key = try pos(1000, 1).uint64.map { $0 + 2 } ?? 0
        XCTAssertEqual(batch.output, UInt256(key).bigEndianBytes)
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.exit(key)?.amount, UInt256(6) &* tenth)
        XCTAssertEqual(try view.exit(key)?.owner, op.address)
        XCTAssertTrue(try view.feeClaimed(try pos(1000, 0).uint64 ?? 0))
        XCTAssertEqual(try view.exit(try pos(1, 0).uint64 ?? 0)?.status, .challenged)
        assertReverts("already exiting or exited") { try self.send(self.alice, root, exitSig, depositExit, value: bond) }
        // Bob's deposit, spent in t2 and never exited: now it never can.
        let bobDeposit = try ChildBlock(number: 2, previousHeaderHash: .zero, transactions: [deposits[1]])
        assertReverts("was spent: the operator exited that spend's fee") {
            try self.send(self.bob, root, exitSig, [.uint(try pos(2, 0)), .bytes(deposits[1].encoded), .bytes(try bobDeposit.tree().proof(index: 0)), .bytes([])],
                          value: bond)
        }
        assertReverts("is claimed") { try self.send(self.op, root, feeSig, args([e2, e3]), value: bond) }
        // No spend can challenge it: no output has index 2.
        assertReverts("oindex") {
            try self.send(self.carol, root, "challengeExit(uint256,uint256,bytes,bytes,bytes)",
                          [.uint(UInt256(key)), .uint(e3.0), .bytes(t3.encoded), .bytes(e3.2), .bytes(e3.3)])
        }
        try send(op, root, feeSig, args([e3]), value: bond)

        // Every output still unspent exits too: Alice's change, Carol's two payments.
        try send(alice, root, exitSig, [.uint(try pos(1000, 0, 1)), .bytes(t1.encoded), .bytes(e1.2), .bytes(e1.3)], value: bond)
        try send(carol, root, exitSig, [.uint(try pos(1000, 1)), .bytes(t2.encoded), .bytes(e2.2), .bytes(e2.3)], value: bond)
        try send(carol, root, exitSig, [.uint(try pos(2000, 0)), .bytes(t3.encoded), .bytes(e3.2), .bytes(e3.3)], value: bond)
        now += rules.challengePeriodSeconds
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256(5).bigEndianBytes)
        let opBefore = try state.balance(op.address)
        try send(op, root, "withdraw()")
        XCTAssertEqual(try state.balance(op.address), opBefore &+ UInt256(8) &* tenth &+ bond &+ bond &+ bond,
                       "0.6 + 0.2 ANKR of fees, both bonds, and Alice's bond for exiting what she spent")
        for k in [alice, carol] { try send(k, root, "withdraw()") }
        // 8 ANKR deposited = 0.9 + 2.5 + 3.8 to the users + 0.8 of fees: the root keeps the stake and nothing else.
        XCTAssertEqual(try state.balance(root), ether)
        view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.committed(), .zero)
    }

    /// A fee whose input already exited cannot exit too (that would pay the same wei twice): the root refuses it, even
    /// when nobody challenged the input's exit.
    func testAFeeCannotExitAfterItsInputDid() throws {
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let root = ChildChainRegistry.rootAddress(1)
        try send(alice, root, "deposit()", value: UInt256(5) &* ether)
        let deposit = PlasmaTransaction.deposit(owner: alice.address, amount: UInt256(5) &* ether)
        var spend = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: 0, outputIndex: 0)],
                                          outputs: [.init(owner: bob.address, amount: UInt256(4) &* ether)], fee: ether)
        try spend.sign(input: 0, with: alice)
        let block = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [spend])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
        let depositBlock = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [deposit])
        try send(alice, root, "startExit(uint256,bytes,bytes,bytes)",
                 [.uint(UInt256(1_000_000_000)), .bytes(deposit.encoded), .bytes(try depositBlock.tree().proof(index: 0)), .bytes([])], value: rules.exitBond)
        now += rules.challengePeriodSeconds
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256.one.bigEndianBytes)
        let confirm = try ConfirmSignature.sign(transaction: spend.hash, blockRoot: block.merkleRoot, with: alice)
        assertReverts("input 1:0:0 of 1000:0 already exited: its fee went with it") {
            try self.send(self.op, root, "startFeeExit(uint256[],bytes[],bytes[],bytes[])",
                          [.array([.uint(UInt256(1_000_000_000_000))]), .array([.bytes(spend.encoded)]), .array([.bytes(try block.tree().proof(index: 0))]),
                           .array([.bytes(confirm)])], value: self.rules.exitBond)
        }
    }

    /// A fee exit of a block a fraud proof rolls back is cancelled: its bond returned, its fees never paid.
    func testAFeeExitOfARolledBackBlockIsCancelled() throws {
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let root = ChildChainRegistry.rootAddress(1)
        try send(alice, root, "deposit()", value: UInt256(5) &* ether)
        // The operator and Bob collude: Bob spends an output that does not exist, with a fat fee, and confirms it.
        var forged = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: 3, outputIndex: 0)],
                                           outputs: [.init(owner: bob.address, amount: ether)], fee: UInt256(4) &* ether)
        try forged.sign(input: 0, with: bob)
        let block = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [forged])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
        let proof = try block.tree().proof(index: 0)
        let confirm = try ConfirmSignature.sign(transaction: forged.hash, blockRoot: block.merkleRoot, with: bob)
        let position = UInt256(try UTXOPosition(blockNumber: 1000, txIndex: 0, outputIndex: 0).encoded)
        try send(op, root, "startFeeExit(uint256[],bytes[],bytes[],bytes[])",
                 [.array([.uint(position)]), .array([.bytes(forged.encoded)]), .array([.bytes(proof)]), .array([.bytes(confirm)])], value: rules.exitBond)
        // Alice proves the fraud: deposit block 1 has no transaction 3.
        let empty = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [PlasmaTransaction.deposit(owner: alice.address, amount: UInt256(5) &* ether)])
        try send(alice, root, "proveInvalidTransaction(uint256,bytes,bytes,bytes[],bytes[])",
                 [.uint(position), .bytes(forged.encoded), .bytes(proof), .array([.bytes([])]), .array([.bytes(try empty.tree().proof(index: 3))])])
        now += rules.challengePeriodSeconds
        try send(carol, root, "finalizeExit()")
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.exit((position.uint64 ?? 0) + 2)?.status, .cancelled)
        XCTAssertEqual(try view.withdrawable(op.address), rules.exitBond, "the bond back, no fee")
        // Alice's deposit is whole: the root holds it beside what it owes.
        XCTAssertEqual(try state.balance(root), UInt256(5) &* ether &+ ether &+ rules.exitBond)
    }

    func testTheChainDispatchesEachChildChainToItsOwnRoot() throws {
        // Through the real state transition, with signed transactions, two chains keep separate state.
        let chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, alloc: [
            op.address: .init(balance: UInt256(100) &* ether), alice.address: .init(balance: UInt256(100) &* ether)]),
            systemContracts: registry)
        func tx(_ key: PrivateKey, _ nonce: UInt64, _ to: Address, _ sig: String, value: UInt256) throws -> (Transaction, Address) {
            (try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                        gasLimit: 300_000, to: to, value: value, data: ABI.encodeCall(sig, [])).signed(with: key), key.address)
        }
        let txs = [try tx(op, 0, ChildChainRegistry.address, "createChildChain()", value: ether),
                   try tx(op, 1, ChildChainRegistry.address, "createChildChain()", value: ether),
                   try tx(alice, 0, ChildChainRegistry.rootAddress(2), "deposit()", value: UInt256(3) &* ether)]
        try chain.importBlock(try chain.produceBlock(candidates: txs, coinbase: .zero, timestamp: 10).block)
        let receipts = try XCTUnwrap(try chain.receipts(blockHash: chain.head.hash))
        XCTAssertEqual(receipts.map(\.succeeded), [true, true, true])
        let s = chain.state(at: chain.head)
        XCTAssertEqual(try s.balance(ChildChainRegistry.rootAddress(1)), ether)
        XCTAssertEqual(try s.balance(ChildChainRegistry.rootAddress(2)), UInt256(4) &* ether)
        var one = PlasmaRootState(state: s, root: ChildChainRegistry.rootAddress(1)), two = PlasmaRootState(state: s, root: ChildChainRegistry.rootAddress(2))
        XCTAssertNil(try one.block(1))
        XCTAssertNotNil(try two.block(1))
        XCTAssertEqual(receipts[2].logs.first?.address, ChildChainRegistry.rootAddress(2))
    }
}

final class ChildChainsRootTests: XCTestCase {
    let op = try! PrivateKey(hex: "0x" + String(repeating: "0e", count: 32))
    let ether = UInt256(1_000_000_000_000_000_000)

    func testEveryHeaderCommitsToEachChildChainsLatestBlockAndValidatorsCheckIt() throws {
        let rules = PlasmaRules()
        let contracts = SystemContractRegistry([ChildChainRegistry(rules: rules), PlasmaRoot(rules: rules)], childChainIndex: ChildChainsRoot())
        let genesis = Genesis(chainID: 7331, alloc: [op.address: .init(balance: UInt256(100) &* ether)])
        let producer = try Blockchain(database: ChainDatabase(), genesis: genesis, systemContracts: contracts)
        let validator = try Blockchain(database: ChainDatabase(), genesis: genesis, systemContracts: contracts)
        var nonce: UInt64 = 0
        func call(_ to: Address, _ sig: String, _ args: [ABIValue] = [], value: UInt256 = .zero) throws -> (Transaction, Address) {
            defer { nonce += 1 }
            return (try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                               gasLimit: 300_000, to: to, value: value, data: ABI.encodeCall(sig, args)).signed(with: op), op.address)
        }
        func mine(_ txs: [(Transaction, Address)]) throws -> Block {
            let block = try producer.produceBlock(candidates: txs, coinbase: .zero, timestamp: producer.head.timestamp + 1).block
            try producer.importBlock(block)
            try validator.importBlock(block)
            XCTAssertEqual(validator.head.hash, block.hash)
            return block
        }
        XCTAssertEqual(producer.head.childChainsRoot, .zero, "no child chains yet")
        let b1 = try mine([try call(ChildChainRegistry.address, "createChildChain()", value: ether),
                           try call(ChildChainRegistry.address, "createChildChain()", value: ether)])
        let empty = { (id: UInt64) in Keccak256.h256(RLP.encode(.list([.uint(id), .uint(UInt64(0)), .bytes(H256.zero.bytes)]))) }
        XCTAssertEqual(b1.header.childChainsRoot, try BinaryMerkleTree(leaves: [empty(1), empty(2)]).root)

        let childRoot = Keccak256.h256([7])
        let b2 = try mine([try call(ChildChainRegistry.rootAddress(2), "submitBlock(bytes32)", [.fixedBytes(childRoot.bytes)])])
        let header = ChildBlock.headerHash(root: childRoot, previous: .zero)
        let leaf2 = Keccak256.h256(RLP.encode(.list([.uint(UInt64(2)), .uint(UInt64(1000)), .bytes(header.bytes)])))
        XCTAssertEqual(b2.header.childChainsRoot, try BinaryMerkleTree(leaves: [empty(1), leaf2]).root)
        XCTAssertEqual(try mine([]).header.childChainsRoot, b2.header.childChainsRoot, "unchanged until a chain submits again")

        // A header that lies about the index is refused by validators.
        var forged = try producer.produceBlock(candidates: [], coinbase: .zero, timestamp: producer.head.timestamp + 1).block
        forged.header.childChainsRoot = Keccak256.h256([1])
        XCTAssertThrowsError(try validator.importBlock(forged)) { XCTAssertTrue("\($0)".contains("childChainsRoot"), "\($0)") }
    }
}

final class PlasmaABITests: XCTestCase {
    func testShippedABIJSONMatchesTheInterfaces() throws {
        let abi = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("abi")
        XCTAssertEqual(try String(contentsOf: abi.appendingPathComponent("ChildChainRegistry.json"), encoding: .utf8), ChildChainRegistry.interface.json,
                       "regenerate with `ankr plasma abi registry > abi/ChildChainRegistry.json`")
        XCTAssertEqual(try String(contentsOf: abi.appendingPathComponent("PlasmaRoot.json"), encoding: .utf8), PlasmaRoot.interface.json,
                       "regenerate with `ankr plasma abi root > abi/PlasmaRoot.json`")
    }
}
