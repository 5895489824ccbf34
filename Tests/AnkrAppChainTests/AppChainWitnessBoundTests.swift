import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrEVM
import AnkrPrimitives
import AnkrTrie
import XCTest

/// Every committed block must be disputable in one main-chain transaction, so a block whose re-execution reads more
/// witness than its profile allows is invalid, whatever its state root; a challenger proves it with only the blobs
/// that pass the bound.
final class AppChainWitnessBoundTests: XCTestCase {
    /// Deploys `count` contracts of 8,000 bytes of code each (distinct code, one per block: a real-estate block carries
    /// 2,000,000 gas) and returns their addresses.
    private func deployLargeContracts(_ f: AppChainFixture, count: Int) throws -> [Address] {
        try (0..<count).map { i in
            var runtime = [UInt8](repeating: 0, count: 8_000)
            runtime[runtime.count - 1] = UInt8(i)
            // PUSH2 8000, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN, then the runtime code.
            let initCode: [UInt8] = [0x61, 0x1f, 0x40, 0x80, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3] + runtime
            let deployer = f.users[40 + i]
            let address = EVM.createAddress(deployer.address, nonce: f.nonces[deployer.address, default: 0])
            try f.commitAndImport(try f.build([try f.tx(deployer, to: nil, data: initCode, gas: 1_900_000)]))
            XCTAssertEqual(try f.child.state(at: f.child.head).code(address).count, 8_000)
            return address
        }
    }

    func testABlockReadingMoreWitnessThanItsProfileAllowsIsSlashedWithAPrefixOfItsWitness() throws {
        let f = try AppChainFixture(users: 120)
        try f.bootstrap()
        let contracts = try deployLargeContracts(f, count: 12)
        let check = f.check
        let parent = f.child.head

        // Calling five of them reads 40 KB of code: within the real-estate bound, valid.
        let small = try f.build(try contracts.prefix(5).enumerated().map { i, c in try f.tx(f.users[60 + i], to: c, gas: 50_000) })
        let smallReport = check.report(small, parent: parent, witness: try f.witness(small), ancestorHashes: f.ancestors(of: parent))
        XCTAssertEqual(smallReport.verdict, .valid)
        XCTAssertGreaterThan(smallReport.witnessBytes, 5 * 8_000)
        XCTAssertLessThanOrEqual(smallReport.witnessBytes, AppChainProfile.realEstate.maxWitnessBytes)
        XCTAssertTrue(check.fitsWitnessBound(small, parent: parent, chain: f.child))
        for (k, _) in small.transactions.enumerated() { f.nonces[f.users[60 + k].address]! -= 1 }

        // Calling all twelve reads ~97 KB: the block is honest but too large to dispute in full, so it is invalid.
        let large = try f.build(try contracts.enumerated().map { i, c in try f.tx(f.users[60 + i], to: c, gas: 50_000) })
        XCTAssertFalse(check.fitsWitnessBound(large, parent: parent, chain: f.child), "an operator's producer would not seal it")
        let full = try f.witness(large)
        let fullReport = check.report(large, parent: parent, witness: full, ancestorHashes: f.ancestors(of: parent))
        XCTAssertGreaterThan(fullReport.witnessBytes, AppChainProfile.realEstate.maxWitnessBytes)
        guard case .invalid(let why) = fullReport.verdict else { return XCTFail("\(fullReport.verdict)") }
        XCTAssertTrue(why.contains("bytes of witness"), why)

        let proof = check.disputeWitness(for: large, parent: parent, witness: full, ancestorHashes: f.ancestors(of: parent))
        XCTAssertLessThan(proof.count, full.count, "a prefix proves the excess")
        let proofBytes = proof.reduce(0) { $0 + WitnessNodeStore.abiCost(ofBlobOf: $1.count) }
        XCTAssertLessThanOrEqual(proofBytes + large.encoded.count, AppChainProfile.challengeBytes + 24_640)
        // One blob short, the same prefix proves nothing: the bound was not yet passed when the witness ran out.
        let shortReport = check.report(large, parent: parent, witness: Array(proof.dropLast()), ancestorHashes: f.ancestors(of: parent))
        guard case .incompleteWitness = shortReport.verdict else { return XCTFail("\(shortReport.verdict)") }

        try f.commit(large)
        let number = large.header.number
        XCTAssertThrowsError(try f.challenge(number, parent: parent, block: large, witness: Array(proof.dropLast()))) {
            XCTAssertTrue("\($0)".contains("witness lacks"), "\($0)")
        }
        let before = try f.main.balance(f.challenger.address)
        let result = try f.challenge(number, parent: parent, block: large, witness: proof)
        XCTAssertEqual(result.logs.count, 1)
        XCTAssertEqual(try f.main.balance(f.challenger.address), before &+ f.stake.shiftedRight(1))
        XCTAssertEqual(try f.latest(), number - 1, "rolled back to the block before")
    }

    /// No witness makes an honest block within the bound read more than a complete one does: extra, repeated and
    /// reordered blobs change nothing, so no challenger can push such a block over.
    func testNoWitnessMakesAnHonestBlockReadMore() throws {
        let f = try AppChainFixture(users: 120)
        try f.bootstrap()
        let contracts = try deployLargeContracts(f, count: 2)
        var rng = SystemRandomNumberGenerator()
        let parent = f.child.head
        var txs = try f.mixedTransactions(&rng, count: 20)
        txs += try contracts.map { try f.tx(f.users[100], to: $0, gas: 50_000) }
        let block = try f.build(txs)
        let witness = try f.witness(block)
        let exact = f.check.report(block, parent: parent, witness: witness, ancestorHashes: f.ancestors(of: parent))
        XCTAssertEqual(exact.verdict, .valid)
        // Nodes of the same state this block does not read: another block's witness (never imported).
        let saved = f.nonces
        f.nonces = [:]
        for u in f.users { f.nonces[u.address] = try f.child.state(at: parent).account(u.address)?.nonce ?? 0 }
        let stray = try f.witness(try f.build(try f.mixedTransactions(&rng, count: 10)))
        f.nonces = saved
        for candidate in [witness + stray, stray + witness, witness.reversed(), witness + witness, Array(witness.shuffled(using: &rng))] {
            let r = f.check.report(block, parent: parent, witness: candidate, ancestorHashes: f.ancestors(of: parent))
            XCTAssertEqual(r.verdict, .valid)
            XCTAssertEqual(r.witnessBytes, exact.witnessBytes, "what a block reads is the block's, not the witness's")
        }
        for cut in stride(from: 0, to: witness.count, by: max(1, witness.count / 10)) {
            let r = f.check.report(block, parent: parent, witness: Array(witness.prefix(cut)), ancestorHashes: f.ancestors(of: parent))
            XCTAssertLessThanOrEqual(r.witnessBytes, exact.witnessBytes)
        }
    }

    /// A dispute carries the parent's header too: a header padded past 1 KiB (its seal) is refused at commit, so the
    /// next block's dispute always fits.
    func testAHeaderTooLargeToCarryInADisputeIsNotCommitted() throws {
        let f = try AppChainFixture(users: 120)
        try f.bootstrap()
        var rng = SystemRandomNumberGenerator()
        var block = try f.build(try f.mixedTransactions(&rng, count: 3))
        block.header.seal = [UInt8](repeating: 0x55, count: 2_000)
        XCTAssertThrowsError(try f.commit(block)) { XCTAssertTrue("\($0)".contains("at most 1024 bytes"), "\($0)") }
        block.header.seal = [UInt8](repeating: 0x55, count: 65)
        try f.commit(block)
        XCTAssertEqual(try f.latest(), block.header.number)
    }
}
