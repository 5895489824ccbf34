import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrTrie
import XCTest

/// ANKR into and out of an application chain: deposits on the main chain applied by the operator on the child
/// chain, withdrawals burnt there and proven against a final committed state root here, exact to the wei; and the
/// bridge fraud a dispute proves.
final class AppChainBridgeTests: XCTestCase {
    /// The proofs `finalizeWithdrawal` takes for withdrawal `index` as of child block `header`.
    func proofs(_ f: AppChainFixture, _ header: BlockHeader, _ index: UInt64) throws -> (account: [[UInt8]], storage: [[UInt8]]) {
        let state = f.child.state(at: header)
        let account = try SecureMerklePatriciaTrie(root: header.stateRoot, store: state.store).trie.proof(Keccak256.hash(AppChainBridge.address.bytes))
        let storageRoot = try XCTUnwrap(state.account(AppChainBridge.address)).storageRoot
        let storage = try SecureMerklePatriciaTrie(root: storageRoot, store: state.store).trie
            .proof(Keccak256.hash(AppChainBridge.withdrawalSlot(index).bigEndianBytes))
        return (account, storage)
    }

    func finalize(_ f: AppChainFixture, number: UInt64, index: UInt64, to: Address, amount: UInt256, proofs p: (account: [[UInt8]], storage: [[UInt8]]),
                  from: PrivateKey? = nil) throws {
        try f.send(from ?? f.challenger, f.root, "finalizeWithdrawal(uint256,uint256,address,uint256,bytes[],bytes[])",
                   [.uint(UInt256(number)), .uint(UInt256(index)), .address(to), .uint(amount), .array(p.account.map { .bytes($0) }),
                    .array(p.storage.map { .bytes($0) })])
    }

    func testDepositsInWithdrawalsOutExactToTheWei() throws {
        let f = try AppChainFixture(users: 8)
        try f.bootstrap()
        let alice = f.users[5], carol = try PrivateKey(hex: "0x" + String(repeating: "ca", count: 32))
        let deposited = UInt256(1_000) &* AppChainFixture.ether
        XCTAssertEqual(try f.child.state(at: f.child.head).balance(alice.address), deposited, "every deposit applied, to the wei")
        XCTAssertEqual(try f.view("depositCount()", returns: [.uint(bits: 256)])[0], .uint(UInt256(UInt64(8))))

        // Alice withdraws 123.456… ANKR to Carol on the main chain; it leaves the child chain at once.
        let amount = UInt256(123_456_789_012_345_678)
        let (withdrawal, _) = try f.tx(alice, to: AppChainBridge.address, value: amount,
                                       data: try ABI.encodeCall("withdraw(address)", [.address(carol.address)]))
        let block = try f.build([(withdrawal, alice.address)])
        try f.commitAndImport(block)
        let receipt = try XCTUnwrap(f.child.receipts(blockHash: block.hash)?.first)
        XCTAssertTrue(receipt.succeeded)
        let fee = UInt256(receipt.cumulativeGasUsed) &* UInt256(1)  // base fee 0, tip 1 wei per gas
        XCTAssertEqual(try f.child.state(at: f.child.head).balance(alice.address), deposited &- amount &- fee)
        let p = try proofs(f, block.header, 0)

        // Not before the block is final; then once, exactly, and never again.
        XCTAssertThrowsError(try finalize(f, number: block.number, index: 0, to: carol.address, amount: amount, proofs: p)) {
            XCTAssertTrue("\($0)".contains("not final"), "\($0)")
        }
        f.now += 100
        XCTAssertThrowsError(try finalize(f, number: block.number, index: 0, to: carol.address, amount: amount &+ .one, proofs: p)) {
            XCTAssertTrue("\($0)".contains("is not"), "\($0)")
        }
        XCTAssertThrowsError(try finalize(f, number: block.number, index: 0, to: alice.address, amount: amount, proofs: p))
        XCTAssertThrowsError(try finalize(f, number: block.number, index: 1, to: carol.address, amount: amount, proofs: p))
        XCTAssertThrowsError(try finalize(f, number: block.number, index: 0, to: carol.address, amount: amount, proofs: (p.account, Array(p.storage.dropLast()))))
        let heldBefore = try XCTUnwrap(try f.view("held()", returns: [.uint(bits: 256)])[0].uintValue)
        try finalize(f, number: block.number, index: 0, to: carol.address, amount: amount, proofs: p)
        XCTAssertEqual(try f.main.balance(carol.address), amount, "paid to the wei")
        XCTAssertEqual(try f.view("held()", returns: [.uint(bits: 256)])[0], .uint(heldBefore &- amount))
        XCTAssertEqual(try f.main.balance(f.root), heldBefore &- amount &+ f.stake)
        XCTAssertThrowsError(try finalize(f, number: block.number, index: 0, to: carol.address, amount: amount, proofs: p)) {
            XCTAssertTrue("\($0)".contains("already paid"), "\($0)")
        }
        XCTAssertEqual(try f.view("withdrawalPaid(uint256)", [.uint(.zero)], returns: [.bool])[0], .bool(true))
    }

    func testAnInventedOrAlteredDepositIsSlashed() throws {
        for lie in ["invented", "altered", "miscounted"] {
            let f = try AppChainFixture(users: 4)
            try f.bootstrap()
            let mallory = try PrivateKey(hex: "0x" + String(repeating: "ee", count: 32))
            let made = UInt64(f.users.count)
            if lie != "invented" {
                try f.send(f.challenger, f.root, "deposit(address)", [.address(mallory.address)], value: UInt256(5))
            }
            // The operator credits Mallory 5,000 ANKR as deposit `made`.
            let credit = try f.relay(made, [f.deposit(to: mallory.address, lie == "miscounted" ? UInt256(5) : UInt256(5_000) &* AppChainFixture.ether)],
                                     nonce: 1)
            let block = try f.build([(credit, f.op.address)])
            if lie == "invented" {
                XCTAssertThrowsError(try f.commit(block, applied: made + 1, hash: .zero)) { XCTAssertTrue("\($0)".contains("deposits applied must be"), "\($0)") }
            }
            if lie == "altered" {
                // Committed as the block's own state has it (as an honest operator would after a main-chain reorganisation
                // replaced the deposit it applied): refused at once, so no dispute can slash it.
                XCTAssertThrowsError(try f.commit(block, applied: made + 1, hash: try AppChainBridge.depositsHash(state: try f.stateAfter(block)))) {
                    XCTAssertTrue("\($0)".contains("not the main chain's first"), "\($0)")
                }
            }
            // Committed with a count the root accepts: the made count, or (miscounted) one short of the state's.
            try f.commit(block, applied: lie == "altered" ? made + 1 : made)
            let parent = f.child.head
            let result = try f.challenge(parent.number + 1, parent: parent, block: block, witness: try f.witness(block))
            XCTAssertEqual(result.logs.count, 1, lie)
            let reason = try ABI.decode([.string, .uint(bits: 256), .uint(bits: 256)], from: try XCTUnwrap(result.logs.first).data)[0].description
            // Invented and miscounted: the state's count is not the committed one; altered: its deposits are not the main chain's.
            XCTAssertTrue(reason.contains(lie == "altered" ? "other than the main chain's first" : "deposits applied but the block's state has"), "\(lie): \(reason)")
            XCTAssertEqual(try f.latest(), parent.number, lie)
            XCTAssertEqual(try f.stakeNow(), .zero, lie)
        }
    }

    func testAnOverdueDepositStopsCommitmentsUntilApplied() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let dave = try PrivateKey(hex: "0x" + String(repeating: "da", count: 32))
        try f.send(f.challenger, f.root, "deposit(address)", [.address(dave.address)], value: UInt256(77))
        f.now += 899
        let idle = try f.build([])
        try f.commit(idle)
        _ = try f.child.importBlock(idle)
        f.now += 1
        let skipping = try f.build([])
        XCTAssertThrowsError(try f.commit(skipping)) { XCTAssertTrue("\($0)".contains("overdue"), "\($0)") }
        let apply = try f.relay(UInt64(f.users.count), [f.deposit(to: dave.address, UInt256(77))], nonce: 1)
        try f.commitAndImport(try f.build([(apply, f.op.address)]))
        XCTAssertEqual(try f.child.state(at: f.child.head).balance(dave.address), UInt256(77))
    }

    /// Only deposits that are themselves overdue count: a flood made just before a commit is not held against a block
    /// sealed before it; once the flood is overdue, every block must apply a batch of 3 of it.
    func testOnlyOverdueDepositsAreRequiredAndThenThreeABlock() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let first = UInt64(f.users.count)
        let people = (1...21).map { i in (try? PrivateKey(hex: "0x" + String(format: "%064x", 0xd000 + i)))! }
        try f.send(f.challenger, f.root, "deposit(address)", [.address(people[0].address)], value: UInt256(7))
        f.now += 899
        for p in people.dropFirst() { try f.send(f.challenger, f.root, "deposit(address)", [.address(p.address)], value: UInt256(7)) }
        f.now += 1
        var opNonce: UInt64 = 1
        func apply(_ from: UInt64, _ count: Int) throws -> Block {
            let who = Array(people[Int(from - first)..<Int(from - first) + count])
            let tx = try f.relay(from, who.map { f.deposit(to: $0.address, UInt256(7)) }, nonce: opNonce)
            return try f.build([(tx, f.op.address)])
        }
        // The first deposit is overdue, the twenty after it are not: applying the first alone is enough.
        let one = try apply(first, 1)
        try f.commitAndImport(one)
        opNonce += 1
        // Fifteen minutes on, all twenty are overdue: two are too few, three go in.
        f.now += 900
        let two = try apply(first + 1, 2)
        XCTAssertThrowsError(try f.commit(two, applied: first + 3)) { XCTAssertTrue("\($0)".contains("at least \(first + 4)"), "\($0)") }
        try f.commitAndImport(try apply(first + 1, 3))
        XCTAssertEqual(try f.child.state(at: f.child.head).balance(people[3].address), UInt256(7))
    }

    /// Nothing is burnt on an application chain: its operator earns every fee, base fee included, so what the root
    /// holds on the main chain stays exactly what the chain's accounts own, and a dispute agrees.
    func testTheOperatorEarnsEveryFeeAndNothingIsBurnt() throws {
        let f = try AppChainFixture(users: 60)
        try f.bootstrap()
        let baseFee = try XCTUnwrap(BaseFee.next(after: f.child.head))
        XCTAssertGreaterThan(baseFee, .zero, "the thirty slot writes filled more than half a block")
        let before = try f.child.state(at: f.child.head).balance(f.op.address)
        let (t, from) = try f.tx(f.users[7], to: f.users[8].address, value: UInt256(5))
        let block = try f.build([(t, from)])
        let parent = f.child.head, witness = try f.witness(block)
        try f.commitAndImport(block)
        XCTAssertThrowsError(try f.challenge(block.number, parent: parent, block: block, witness: witness)) {
            XCTAssertTrue("\($0)".contains("is valid"), "\($0)")
        }
        let state = f.child.state(at: f.child.head)
        XCTAssertEqual(try state.balance(f.op.address), before &+ UInt256(21_000) &* (baseFee &+ .one), "base fee and tip, to the wei")
        var owned = UInt256.zero
        for a in f.users.map(\.address) + [f.op.address, f.slotWriterAddress, AppChainBridge.address] { owned = owned &+ (try state.balance(a)) }
        XCTAssertEqual(try f.view("held()", returns: [.uint(bits: 256)])[0], .uint(owned), "the root holds what the chain's accounts own")
    }
}
