import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import XCTest

/// The operator's seal is its soft confirmation: a sealed block that extends a committed block but is not the
/// committed next block slashes it; nothing else does — not the committed block itself, a re-encoded copy of its seal,
/// another key's seal, another parent, or a block a dispute rolled back.
final class AppChainEquivocationTests: XCTestCase {
    func prove(_ f: AppChainFixture, _ header: BlockHeader) throws -> SystemCallResult {
        try f.send(f.challenger, f.root, "proveEquivocation(bytes)", [.bytes(header.encoded)])
    }

    /// `header` sealed again by `key` after `change`.
    func resealed(_ header: BlockHeader, by key: PrivateKey, _ change: (inout BlockHeader) -> Void) throws -> BlockHeader {
        var h = header
        change(&h)
        h.seal = try key.sign(hash: h.sealHash.bytes).rsv
        return h
    }

    func testASealedBlockTheCommitmentsContradictSlashesTheOperator() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let (t, from) = try f.tx(f.users[1], to: f.users[2].address, value: UInt256(9))
        // Sealed by the operator as its node does (the fixture's chain does not seal), and committed.
        var block = try f.build([(t, from)])
        block.header.seal = try f.op.sign(hash: block.header.sealHash.bytes).rsv
        try f.commit(block)
        let committed = block.header

        // The user was shown a block with the transfer elsewhere (another timestamp, an empty block): both sealed by the operator.
        let shown = try resealed(committed, by: f.op) { $0.timestamp += 1 }
        XCTAssertThrowsError(try prove(f, committed)) { XCTAssertTrue("\($0)".contains("is committed block"), "\($0)") }
        var copy = committed
        copy.seal[64] += 27
        XCTAssertThrowsError(try prove(f, copy)) { XCTAssertTrue("\($0)".contains("not sealed by the operator"), "\($0)") }
        XCTAssertThrowsError(try prove(f, try resealed(committed, by: f.challenger) { $0.timestamp += 1 })) {
            XCTAssertTrue("\($0)".contains("not sealed by the operator"), "\($0)")
        }
        XCTAssertThrowsError(try prove(f, try resealed(committed, by: f.op) { $0.parentHash = Keccak256.h256([7]) })) {
            XCTAssertTrue("\($0)".contains("does not extend"), "\($0)")
        }
        XCTAssertThrowsError(try prove(f, try resealed(committed, by: f.op) { $0.number += 1 })) {
            XCTAssertTrue("\($0)".contains("not committed"), "\($0)")
        }
        let before = try f.main.balance(f.challenger.address)
        let result = try prove(f, shown)
        XCTAssertEqual(result.logs.count, 1)
        XCTAssertEqual(try f.stakeNow(), .zero)
        XCTAssertEqual(try f.main.balance(f.challenger.address), before &+ f.stake.shiftedRight(1), "half the stake to the prover")
        XCTAssertEqual(try f.latest(), committed.number, "no rollback: the committed block may be valid")
        // One contradiction costs one stake: staked again, the same proof (or another at that height) takes nothing.
        try f.send(f.op, f.root, "addStake()", value: f.stake)
        XCTAssertThrowsError(try prove(f, shown)) { XCTAssertTrue("\($0)".contains("released"), "\($0)") }
        XCTAssertThrowsError(try prove(f, try resealed(committed, by: f.op) { $0.timestamp += 2 }))
        XCTAssertEqual(try f.stakeNow(), f.stake)
    }

    /// Two chains may not share a genesis: one operator's chains from one template would share block hashes, and one
    /// chain's seals could pass for contradictions of the other's commitments.
    func testASecondChainWithTheSameGenesisIsRefused() throws {
        let f = try AppChainFixture(users: 4)
        try f.register()
        let header = try XCTUnwrap(f.child.header(hash: f.child.genesisHash))
        XCTAssertThrowsError(try f.send(f.op, AppChainRegistry.address, "createAppChain(uint64,string,bytes)",
                                        [.uint(UInt256(AppChainFixture.childChainID + 1)), .string("real-estate"), .bytes(header.encoded)], value: f.stake)) {
            XCTAssertTrue("\($0)".contains("already an application chain's"), "\($0)")
        }
    }

    func testSealsOfABlockADisputeRolledBackNoLongerCount() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let parent = f.child.head
        let good = try f.build([])
        var forged = good
        forged.header.stateRoot = Keccak256.h256([1])
        forged.header.seal = try f.op.sign(hash: forged.header.sealHash.bytes).rsv
        try f.commit(forged)
        _ = try f.challenge(parent.number + 1, parent: parent, block: forged, witness: try f.witness(forged))
        XCTAssertEqual(try f.latest(), parent.number, "rolled back")
        // The operator stakes again and commits the true block at the same height: its old seal contradicts it, but the
        // dispute already took its stake for that block.
        try f.send(f.op, f.root, "addStake()", value: f.stake)
        try f.commitAndImport(good)
        XCTAssertThrowsError(try prove(f, forged.header)) { XCTAssertTrue("\($0)".contains("released"), "\($0)") }
        XCTAssertEqual(try f.stakeNow(), f.stake)
    }
}
