import AnkrChain
import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import AnkrTrie
import Foundation
import XCTest

/// Exit priority under the genesis defaults: an operator that withholds a block and exits a
/// fraudulent output of it at once still ranks behind an honest owner of an older output who exits
/// within the reaction window, and `finalizeExit` pays only from what the root holds, in that order.
extension PlasmaRootTests {
    private func genesis(_ plasma: String) throws -> PlasmaRules {
        try PlasmaRules(genesisSection: Genesis(json: Data(#"{"config": {"chainId": 7331, "ankr": {"plasma": \#(plasma)}}, "alloc": {}}"#.utf8)).parameters.plasma)
    }

    func testWithTheDefaultGenesisAnOlderHonestExitStartedAfterAFraudulentOneIsPaidFirst() throws {
        rules = try genesis("{}")
        XCTAssertEqual(rules.challengePeriodSeconds, 604_800)
        XCTAssertEqual(rules.exitAgeCapSeconds, 1_209_600)
        registry = SystemContractRegistry([ChildChainRegistry(rules: rules), PlasmaRoot(rules: rules)])
        let root = ChildChainRegistry.rootAddress(1)
        let day: UInt64 = 86_400
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        try send(alice, root, "deposit()", value: UInt256(5) &* ether)  // deposit block 1
        let deposit = PlasmaTransaction.deposit(owner: alice.address, amount: UInt256(5) &* ether)
        let depositBlock = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [deposit])

        // Three weeks later the operator submits a block it withholds, minting 5 ANKR to Bob, who exits at once.
        now += 21 * day
        let withheld = now
        let mint = try PlasmaTransaction(inputs: [], outputs: [.init(owner: bob.address, amount: UInt256(5) &* ether)])
        let fraud = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [mint])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(fraud.merkleRoot.bytes)])
        let bobPos = try UTXOPosition(blockNumber: 1000, txIndex: 0, outputIndex: 0)
        try send(bob, root, "startExit(uint256,bytes,bytes,bytes)",
                 [.uint(UInt256(bobPos.encoded)), .bytes(mint.encoded), .bytes(try fraud.tree().proof(index: 0)), .bytes([])], value: rules.exitBond)

        // Alice notices only at the end of the reaction window (one challenge period) and exits her deposit.
        now = withheld + 7 * day
        let alicePos = try UTXOPosition(blockNumber: 1, txIndex: 0, outputIndex: 0)
        try send(alice, root, "startExit(uint256,bytes,bytes,bytes)",
                 [.uint(UInt256(alicePos.encoded)), .bytes(deposit.encoded), .bytes(try depositBlock.tree().proof(index: 0)), .bytes([])],
                 value: rules.exitBond)
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.exit(bobPos.encoded)?.exitableAt, withheld + 14 * day)
        XCTAssertEqual(try view.exit(alicePos.encoded)?.exitableAt, withheld + 14 * day, "equal maturity; the older position ranks first")

        // Both mature together: Alice is paid; the root cannot cover Bob's exit, which waits.
        now = withheld + 14 * day
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256.one.bigEndianBytes)
        view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.exit(alicePos.encoded)?.status, .finalized)
        XCTAssertEqual(try view.exit(bobPos.encoded)?.status, .queued)
        XCTAssertEqual(try view.withdrawable(bob.address), .zero)
        assertReverts("nothing to withdraw") { try self.send(self.bob, root, "withdraw()") }
        let aliceBefore = try state.balance(alice.address)
        try send(alice, root, "withdraw()")
        XCTAssertEqual(try state.balance(alice.address), aliceBefore &+ UInt256(5) &* ether &+ rules.exitBond)
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256.zero.bigEndianBytes, "still nothing to pay Bob from")
        XCTAssertEqual(try state.balance(root), ether &+ rules.exitBond, "the stake and Bob's bond")
    }

    func testFinalizePaysOnlyWhatTheRootHoldsBeyondStakeAndDebts() throws {
        let root = ChildChainRegistry.rootAddress(1)
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        try send(alice, root, "deposit()", value: UInt256(3))
        // The operator mints 3 wei twice; only the first exit finds the 3 wei Alice deposited.
        let mints = [try PlasmaTransaction(inputs: [], outputs: [.init(owner: bob.address, amount: UInt256(3))]),
                     try PlasmaTransaction(inputs: [], outputs: [.init(owner: carol.address, amount: UInt256(3))])]
        let fraud = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: mints)
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(fraud.merkleRoot.bytes)])
        for (i, key) in [bob, carol].enumerated() {
            try send(key, root, "startExit(uint256,bytes,bytes,bytes)",
                     [.uint(UInt256(1000 * UTXOPosition.blockFactor + UInt64(i) * UTXOPosition.txFactor)), .bytes(mints[i].encoded),
                      .bytes(try fraud.tree().proof(index: i)), .bytes([])], value: rules.exitBond)
        }
        now += 1_000
        XCTAssertEqual(try send(alice, root, "finalizeExit()").output, UInt256.one.bigEndianBytes)
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.withdrawable(bob.address), UInt256(3) &+ rules.exitBond)
        XCTAssertEqual(try view.withdrawable(carol.address), .zero, "the stake and Bob's credit are not Carol's to take")
        XCTAssertEqual(try view.committed(), UInt256(3) &+ rules.exitBond &+ rules.exitBond, "Bob's credit and Carol's queued bond")
    }

    func testGenesisRefusesAnAgeCapBelowTwiceTheChallengePeriod() throws {
        XCTAssertThrowsError(try genesis(#"{"challengePeriodSeconds": 100, "exitAgeCapSeconds": 199}"#)) {
            XCTAssertTrue("\($0)".contains("exitAgeCapSeconds (199) must be at least twice"), "\($0)")
        }
        XCTAssertThrowsError(try genesis(#"{"challengePeriodSeconds": 100}"#.replacingOccurrences(of: "100", with: "\"0xffffffffffffffff\""))) {
            XCTAssertTrue("\($0)".contains("at least twice"), "\($0)")
        }
        XCTAssertThrowsError(try genesis(#"{"challengePeriodSeconds": 700000}"#), "the default cap is below twice this period")
        let ok = try genesis(#"{"challengePeriodSeconds": 100, "exitAgeCapSeconds": 200}"#)
        XCTAssertEqual(ok.exitAgeCapSeconds, 200)
    }

    func testAnExitNearTheEndOfTimeMaturesAtTheEndNotAtOnce() throws {
        let root = ChildChainRegistry.rootAddress(1)
        XCTAssertEqual(PlasmaRoot(rules: rules).exitableAt(blockTime: .max - 10, now: 5), .max)
        XCTAssertEqual(PlasmaRoot(rules: rules).exitableAt(blockTime: 5, now: .max - 10), .max)
        XCTAssertEqual(PlasmaRoot(rules: rules).exitableAt(blockTime: 1_000, now: 1_020), 1_120)
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        now = .max - 10  // a block producer's timestamp
        try send(alice, root, "deposit()", value: ether)
        let deposit = PlasmaTransaction.deposit(owner: alice.address, amount: ether)
        let block = try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [deposit])
        try send(alice, root, "startExit(uint256,bytes,bytes,bytes)",
                 [.uint(UInt256(UTXOPosition.blockFactor)), .bytes(deposit.encoded), .bytes(try block.tree().proof(index: 0)), .bytes([])], value: rules.exitBond)
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.exit(UTXOPosition.blockFactor)?.exitableAt, .max)
        XCTAssertEqual(try send(carol, root, "finalizeExit()").output, UInt256.zero.bigEndianBytes, "not matured by wrapping round")
    }

    func testCalldataIndicesAndBlockNumbersOutOfRangeAreRefusedNotTrapped() throws {
        let root = ChildChainRegistry.rootAddress(1)
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let block = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [])
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
        let verify = "verifyTransaction(uint256,uint256,bytes,bytes)"
        // A transaction that decodes, so the index is what the check reaches.
        let deposit = PlasmaTransaction.deposit(owner: carol.address, amount: ether)
        for index in [UInt256(UInt64(1) << 63), UInt256(UInt64.max), UInt256(UTXOPosition.maxTxIndex + 1)] {
            assertReverts("past a child block's last") {
                try self.send(self.carol, root, verify, [.uint(UInt256(1000)), .uint(index), .bytes(deposit.encoded), .bytes([UInt8](repeating: 0, count: 512))])
            }
        }
        // No operator block gets a number whose outputs would have no UTXO position.
        var storage = SystemStorage(state: state, address: root, gasLimit: .max)
        let lastExitable = UTXOPosition.maxBlockNumber / 1_000 * 1_000
        try storage.setWord(UInt256(3), UInt256(lastExitable))
        try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
        XCTAssertNoThrow(try UTXOPosition(blockNumber: lastExitable, txIndex: UTXOPosition.maxTxIndex, outputIndex: 1))
        assertReverts("past the last exitable block") { try self.send(self.op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)]) }
    }
}
