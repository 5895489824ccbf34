import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrTrie
import Foundation
import XCTest

/// Registration, commitments and disputes of an application chain on a main-chain state, against blocks
/// a real child chain built.
final class AppChainRootTests: XCTestCase {
    func testRegisterAndCommitInOrderWithTheBlocksTransactions() throws {
        let f = try AppChainFixture()
        XCTAssertThrowsError(try f.send(f.op, AppChainRegistry.address, "createAppChain(uint64,string,bytes)",
                                        [.uint(UInt256(AppChainFixture.childChainID)), .string("real-estate"), .bytes([0xc0])], value: f.stake))
        XCTAssertThrowsError(try f.send(f.op, AppChainRegistry.address, "createAppChain(uint64,string,bytes)",
                                        [.uint(UInt256(7331)), .string("real-estate"), .bytes([])], value: f.stake)) {
            XCTAssertTrue("\($0)".contains("main chain"), "\($0)")
        }
        XCTAssertThrowsError(try f.register(profile: "casino")) { XCTAssertTrue("\($0)".contains("unknown profile"), "\($0)") }
        try f.register()
        XCTAssertThrowsError(try f.register()) { XCTAssertTrue("\($0)".contains("already"), "\($0)") }
        XCTAssertEqual(try f.main.balance(f.root), f.stake)
        XCTAssertEqual(try f.latest(), 0)
        try f.bootstrap(registering: false)
        XCTAssertEqual(try f.latest(), 3)

        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            let block = try f.build(try f.mixedTransactions(&rng, count: 10))
            XCTAssertThrowsError(try f.send(f.challenger, f.root, "commitBlock(bytes,uint256,bytes32)",
                                            [.bytes(block.encoded), .uint(UInt256(UInt64(f.users.count))), .fixedBytes(H256.zero.bytes)])) {
                XCTAssertTrue("\($0)".contains("only the operator"), "\($0)")
            }
            // The same header with one transaction left out: the data would not be the block's.
            let partial = Block(header: block.header, transactions: Array(block.transactions.dropLast()))
            XCTAssertThrowsError(try f.commit(partial)) { XCTAssertTrue("\($0)".contains("transactions root"), "\($0)") }
            try f.commit(block)
            XCTAssertThrowsError(try f.commit(block)) { XCTAssertTrue("\($0)".contains("next block"), "\($0)") }
            _ = try f.child.importBlock(block)
            XCTAssertEqual(f.child.head.hash, block.hash)
        }
        XCTAssertEqual(try f.latest(), 6)
        let types: [ABIType] = [.fixedBytes(32), .fixedBytes(32), .uint(bits: 256), .bool, .uint(bits: 256)]
        let c = try f.view("getCommitment(uint256)", [.uint(UInt256(6))], returns: types)
        XCTAssertEqual(c[0].fixedBytesValue, f.child.head.hash.bytes)
        XCTAssertEqual(c[1].fixedBytesValue, f.child.head.stateRoot.bytes)
        XCTAssertEqual(c[3], .bool(false))
        XCTAssertEqual(c[4], .uint(UInt256(UInt64(f.users.count))))
        f.now += 100
        XCTAssertEqual(try f.view("getCommitment(uint256)", [.uint(UInt256(6))], returns: types)[3], .bool(true))

        // A block on a different parent cannot be committed.
        var stray = try f.build([])
        stray.header.parentHash = Keccak256.h256([1])
        XCTAssertThrowsError(try f.commit(stray)) { XCTAssertTrue("\($0)".contains("parent"), "\($0)") }
    }

    func testAWrongStateRootIsSlashedToTheChallengerAndRolledBack() throws {
        let f = try AppChainFixture()
        try f.bootstrap()
        var rng = SystemRandomNumberGenerator()
        let genesis = f.child.head
        let good = try f.build(try f.mixedTransactions(&rng, count: 12))
        try f.commit(good)
        let witness1 = try f.witness(good)
        XCTAssertThrowsError(try f.challenge(4, parent: genesis, block: good, witness: witness1)) { XCTAssertTrue("\($0)".contains("is valid"), "\($0)") }
        _ = try f.child.importBlock(good)

        // The operator executes block 2 honestly but commits a state root that credits it.
        let honest = try f.build(try f.mixedTransactions(&rng, count: 12))
        var forged = honest
        forged.header.stateRoot = Keccak256.h256([0xba, 0xd])
        try f.commit(forged)
        XCTAssertEqual(try f.latest(), 5)
        let witness = try f.witness(forged)
        XCTAssertEqual(f.check
                        .check(honest, parent: good.header, witness: try f.witness(honest), ancestorHashes: f.ancestors(of: good.header)), .valid)
        // An incomplete witness proves nothing, even against an invalid block.
        XCTAssertThrowsError(try f.challenge(5, parent: good.header, block: forged, witness: Array(witness.dropFirst()))) {
            XCTAssertTrue("\($0)".contains("witness lacks"), "\($0)")
        }
        XCTAssertThrowsError(try f.challenge(5, parent: genesis, block: forged, witness: witness)) { XCTAssertTrue("\($0)".contains("parent header"), "\($0)") }
        let before = try f.main.balance(f.challenger.address)
        let result = try f.challenge(5, parent: good.header, block: forged, witness: witness)
        XCTAssertEqual(result.logs.count, 1)
        XCTAssertEqual(try f.main.balance(f.challenger.address), before &+ f.stake.shiftedRight(1), "half the stake to the challenger, half burnt")
        let held = try f.view("held()", returns: [.uint(bits: 256)])[0]
        XCTAssertEqual(held, .uint(UInt256(UInt64(f.users.count)) &* UInt256(1_000) &* AppChainFixture.ether), "the deposits stay, held for the users")
        XCTAssertEqual(try f.main.balance(f.root), held.uintValue, "the stake left the root: half paid, half burnt")
        XCTAssertEqual(try f.latest(), 4, "rolled back to the last good block")
        XCTAssertEqual(try f.view("stake()", returns: [.uint(bits: 256), .bool])[1], .bool(true))

        // Slashed: no commitments until the stake is back; then the honest block goes in.
        XCTAssertThrowsError(try f.commit(honest)) { XCTAssertTrue("\($0)".contains("stake"), "\($0)") }
        try f.send(f.op, f.root, "addStake()", value: f.stake)
        try f.commit(honest)
        XCTAssertEqual(try f.latest(), 5)
        f.now += 100
        XCTAssertThrowsError(try f.challenge(5, parent: good.header, block: honest, witness: witness)) { XCTAssertTrue("\($0)".contains("final"), "\($0)") }
    }

    func testEveryKindOfWrongHeaderIsProvable() throws {
        var rng = SystemRandomNumberGenerator()
        let mutations: [(String, (inout BlockHeader) -> Void)] = [
            ("gasUsed", { $0.gasUsed += 1 }),
            ("receiptsRoot", { $0.receiptsRoot = Keccak256.h256([2]) }),
            ("logsBloom", { $0.logsBloom = (try? Bloom([UInt8](repeating: 0xff, count: 256))) ?? $0.logsBloom }),
            ("baseFee", { $0.baseFeePerGas = $0.baseFeePerGas &+ .one }),
            ("timestamp", { $0.timestamp = 0 }),
            ("childChainsRoot", { $0.childChainsRoot = Keccak256.h256([3]) }),
        ]
        for (name, mutate) in mutations {
            let f = try AppChainFixture(users: 40)
            try f.bootstrap()
            var block = try f.build(try f.mixedTransactions(&rng, count: 6))
            mutate(&block.header)
            try f.commit(block)
            XCTAssertNoThrow(try f.challenge(4, parent: f.child.head, block: block, witness: try f.witness(block)), name)
            XCTAssertEqual(try f.latest(), 3, name)
        }
    }

    /// The property that keeps operators honest and safe: whatever witness a challenger sends against a
    /// valid block — pieces missing, junk added, reordered, another block's, nodes of the new state —
    /// the dispute fails and the stake stays.
    func testNoWitnessSlashesAnHonestOperator() throws {
        let f = try AppChainFixture()
        try f.bootstrap()
        var rng = SplitMix(seed: 0x5eed)
        var otherWitness = [[UInt8]]()
        for round in 0..<4 {
            let block = try f.build(try f.mixedTransactions(&rng, count: 16))
            try f.commit(block)
            let parent = f.child.head
            let witness = try f.witness(block)
            XCTAssertGreaterThan(witness.count, 20)
            // Other transactions under the committed header: one that cannot be included (over the block's gas), none,
            // the block's own reordered. Each proves nothing about the committed block.
            let stranger = try f.tx(f.users[0], to: f.users[1].address, value: .one, gas: block.header.gasLimit + 1).0
            for txs in [[stranger], [], block.transactions.reversed(), Array(block.transactions.dropFirst()) + [stranger]] where txs != block.transactions {
                XCTAssertThrowsError(try f.challenge(UInt64(round + 4), parent: parent, block: Block(header: block.header, transactions: txs), witness: [])) {
                    XCTAssertTrue("\($0)".contains("transactions are not"), "\($0)")
                }
                XCTAssertEqual(f.check.check(Block(header: block.header, transactions: txs), parent: parent,
                                                                                            witness: witness, ancestorHashes: f.ancestors(of: parent)),
                               .undecided("the transactions are not the ones the header commits to"))
            }
            f.nonces[f.users[0].address, default: 1] -= 1
            var candidates: [[[UInt8]]] = [[], otherWitness, witness + otherWitness, witness.reversed(), witness + witness]
            for _ in 0..<40 {
                var w = witness
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: for _ in 0..<Int.random(in: 1...3, using: &rng) where !w.isEmpty { w.remove(at: Int.random(in: 0..<w.count, using: &rng)) }
                case 1: w.append((0..<Int.random(in: 1...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
                case 2: w.shuffle(using: &rng)
                default:
                    // A blob with one byte changed: a different hash, so the original is missing.
                    let i = Int.random(in: 0..<w.count, using: &rng)
                    if !w[i].isEmpty { w[i][Int.random(in: 0..<w[i].count, using: &rng)] ^= 0x01 }
                }
                candidates.append(w)
            }
            let stake = try f.stakeNow()
            for w in candidates {
                XCTAssertThrowsError(try f.challenge(UInt64(round + 4), parent: parent, block: block, witness: w)) {
                    XCTAssertTrue("\($0)".contains("is valid") || "\($0)".contains("witness lacks"), "\($0)")
                }
            }
            XCTAssertEqual(try f.stakeNow(), stake)
            XCTAssertEqual(try f.latest(), UInt64(round + 4))
            _ = try f.child.importBlock(block)
            // The new state's nodes, for the next round's candidates.
            otherWitness = witness
        }
    }

    func testTheMainChainIndexesApplicationChainsBesidePlasmaChains() throws {
        let f = try AppChainFixture(users: 10)
        struct FixedIndex: ChildChainIndex { func childChainsRoot(state: WorldState) throws -> H256 { Keccak256.h256([9]) } }
        let index = ChildChainsIndex(plasma: FixedIndex())
        XCTAssertEqual(try index.childChainsRoot(state: f.main), Keccak256.h256([9]), "no application chains: the Plasma index unchanged")
        try f.register()
        let genesisLeaf = Keccak256.h256(RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(0)), .bytes(f.child.genesisHash.bytes)])))
        XCTAssertEqual(try index.childChainsRoot(state: f.main),
                       Keccak256.h256(Keccak256.h256([9]).bytes + (try BinaryMerkleTree(leaves: [genesisLeaf]).root).bytes))
        let block = try f.build([])
        try f.commit(block)
        XCTAssertEqual(try ChildChainsIndex.leaf(id: 1, state: f.main),
                       Keccak256.h256(RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(1)), .bytes(block.hash.bytes)]))))
    }
}

/// A seeded generator, so a failing property case can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

final class AppChainABITests: XCTestCase {
    func testShippedABIJSONMatchesTheInterfaces() throws {
        let abi = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("abi")
        XCTAssertEqual(try String(contentsOf: abi.appendingPathComponent("AppChainRegistry.json"), encoding: .utf8), AppChainRegistry.interface.json,
                       "regenerate with `ankr appchain abi registry > abi/AppChainRegistry.json`")
        XCTAssertEqual(try String(contentsOf: abi.appendingPathComponent("AppChainRoot.json"), encoding: .utf8), AppChainRoot.interface.json,
                       "regenerate with `ankr appchain abi root > abi/AppChainRoot.json`")
        XCTAssertEqual(try String(contentsOf: abi.appendingPathComponent("AppChainBridge.json"), encoding: .utf8), AppChainBridge.interface.json,
                       "regenerate with `ankr appchain abi bridge > abi/AppChainBridge.json`")
    }
}
