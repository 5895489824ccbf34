import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrTrie
import Foundation
import XCTest

final class StateTransitionTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! Address(hex: "0x" + String(repeating: "b0", count: 20))
    let miner = try! Address(hex: "0x" + String(repeating: "c0", count: 20))
    let gwei = UInt256(1_000_000_000)
    let ether = UInt256(1_000_000_000_000_000_000)

    func genesis() throws -> Genesis {
        let json = """
            {"config": {"chainId": 7331, "ankr": {"blockTimeSeconds": 2, "blockReward": "0x1bc16d674ec80000"}},
             "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1", "timestamp": "0x0", "extraData": "0x",
             "alloc": {"\(alice.address.bytes.hex)": {"balance": "100000000000000000000"},
                       "0x00000000000000000000000000000000000000aa": {"balance": "0x1", "code": "0x6000", "storage": {"0x01": "0x02"}}}}
            """
        return try Genesis(json: Data(json.utf8))
    }

    func transfer(nonce: UInt64, value: UInt256, tip: UInt256 = UInt256(2_000_000_000)) throws -> Transaction {
        try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: UInt256(10_000_000_000),
                                   gasLimit: 21_000, to: bob, value: value).signed(with: alice)
    }

    func testGenesisParsesGethFormatAndIsDeterministic() throws {
        let g = try genesis()
        XCTAssertEqual(g.chainID, 7331)
        XCTAssertEqual(g.parameters.blockTimeSeconds, 2)
        XCTAssertEqual(g.parameters.blockReward, UInt256(2) &* ether)
        XCTAssertEqual(g.gasLimit, 30_000_000)
        let a = try g.block(state: WorldState()), b = try g.block(state: WorldState())
        XCTAssertEqual(a.hash, b.hash)
        let state = WorldState(root: a.header.stateRoot, store: InMemoryNodeStore())
        XCTAssertThrowsError(try state.balance(alice.address))  // a fresh store has no nodes: reported, not crashed
        let stored = WorldState()
        let block = try g.block(state: stored)
        let reopened = WorldState(root: block.header.stateRoot, store: stored.store)
        XCTAssertEqual(try reopened.balance(alice.address), UInt256(100) &* ether)
        let contract = try Address(hex: "0x00000000000000000000000000000000000000aa")
        XCTAssertEqual(try reopened.code(contract), [0x60, 0x00])
        XCTAssertEqual(try reopened.storage(contract, slot: try H256(hex: "0x" + String(repeating: "0", count: 63) + "1")), UInt256(2))
    }

    func testGenesisErrorsAreClear() {
        for (json, fragment) in [
            ("[]", "top level"), ("{}", "config"), ("{\"config\":{}}", "chainId"),
            ("{\"config\":{\"chainId\":1},\"alloc\":{\"0x12\":{}}}", "not an address"),
            ("{\"config\":{\"chainId\":1},\"extraData\":\"0x\(String(repeating: "00", count: 33))\"}", "extraData"),
            ("{\"config\":{\"chainId\":1},\"gasLimit\":\"0xzz\"}", "gasLimit"),
        ] {
            XCTAssertThrowsError(try Genesis(json: Data(json.utf8))) { XCTAssertTrue("\($0)".contains(fragment), "\($0) for \(json)") }
        }
    }

    func testTransfersPayFeesBurnBaseFeeAndReward() throws {
        let g = try genesis()
        let producerState = WorldState()
        let genesisBlock = try g.block(state: producerState)
        let executor = BlockExecutor(chainID: 7331, parameters: g.parameters)
        let txs = [try transfer(nonce: 0, value: ether), try transfer(nonce: 1, value: ether)]
        let (block, receipts, rejected) = try executor.produce(
            parent: genesisBlock.header, candidates: txs.map { ($0, alice.address) }, coinbase: miner, timestamp: 2, state: producerState)
        XCTAssertTrue(rejected.isEmpty)
        XCTAssertEqual(block.transactions.count, 2)
        XCTAssertEqual(receipts.map(\.cumulativeGasUsed), [21_000, 42_000])
        let root = try producerState.commit()
        XCTAssertEqual(root, block.header.stateRoot)

        // Alice pays value + gas at baseFee + tip; Bob receives the value; the miner the tips and reward.
        // Genesis used no gas, so block 1's base fee is 7/8 of the genesis one.
        XCTAssertEqual(block.header.baseFeePerGas, UInt256(875_000_000))
        let price = UInt256(875_000_000) &+ UInt256(2_000_000_000)
        let spent = UInt256(2) &* ether &+ UInt256(42_000) &* price
        XCTAssertEqual(try producerState.balance(alice.address), UInt256(100) &* ether &- spent)
        XCTAssertEqual(try producerState.balance(bob), UInt256(2) &* ether)
        XCTAssertEqual(try producerState.balance(miner), UInt256(2) &* ether &+ UInt256(42_000) &* UInt256(2_000_000_000))
        XCTAssertEqual(try producerState.nonce(alice.address), 2)

        // An independent node executes the block from genesis and agrees on every root.
        let verifierState = WorldState()
        _ = try g.block(state: verifierState)
        let checked = try executor.execute(block, parent: genesisBlock.header, state: verifierState)
        XCTAssertEqual(checked, receipts)
        XCTAssertEqual(try verifierState.commit(), block.header.stateRoot)

        // Round trip through RLP.
        XCTAssertEqual(try Block(encoded: block.encoded), block)
        XCTAssertEqual(try BlockHeader(encoded: block.header.encoded).hash, block.hash)
    }

    func testTamperedBlocksAreRejected() throws {
        let g = try genesis()
        let s = WorldState()
        let genesisBlock = try g.block(state: s)
        let executor = BlockExecutor(chainID: 7331, parameters: g.parameters)
        let (block, _, _) = try executor.produce(parent: genesisBlock.header, candidates: [(try transfer(nonce: 0, value: ether), alice.address)],
                                                 coinbase: miner, timestamp: 2, state: s)
        func verify(_ b: Block) throws {
            let v = WorldState()
            _ = try g.block(state: v)
            _ = try executor.execute(b, parent: genesisBlock.header, state: v)
        }
        XCTAssertNoThrow(try verify(block))
        var badRoot = block; badRoot.header.stateRoot = .zero
        XCTAssertThrowsError(try verify(badRoot)) { XCTAssertTrue("\($0)".contains("stateRoot")) }
        var badFee = block; badFee.header.baseFeePerGas = .one
        XCTAssertThrowsError(try verify(badFee)) { guard case .wrongBaseFee = $0 as? BlockValidationError else { return XCTFail("\($0)") } }
        var replay = block; replay.transactions = [try transfer(nonce: 5, value: ether)]
        XCTAssertThrowsError(try verify(replay))
        var foreign = block
        foreign.transactions = [try Transaction.dynamicFee(chainID: 1, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                                          gasLimit: 21_000, to: bob, value: .one).signed(with: alice)]
        XCTAssertThrowsError(try verify(foreign)) { XCTAssertTrue("\($0)".contains("chain id")) }
        var badGas = block; badGas.header.gasUsed = 1
        XCTAssertThrowsError(try verify(badGas)) { XCTAssertTrue("\($0)".contains("gasUsed")) }
    }

    func testInvalidTransactionsAreSkippedAndLeaveNoTrace() throws {
        let g = try genesis()
        let s = WorldState()
        let genesisBlock = try g.block(state: s)
        let executor = BlockExecutor(chainID: 7331, parameters: g.parameters)
        let tooRich = try transfer(nonce: 0, value: UInt256(1000) &* ether)
        let gap = try transfer(nonce: 3, value: .one)
        let cheap = try Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: .zero, maxFeePerGas: .one,
                                               gasLimit: 21_000, to: bob, value: .one).signed(with: alice)
        // A creation needs 53,000 gas before its code runs.
        let create = try Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: .zero, maxFeePerGas: UInt256(10_000_000_000),
                                                gasLimit: 50_000, to: nil, value: .zero, data: [0x60]).signed(with: alice)
        let good = try transfer(nonce: 0, value: .one)
        let (block, _, rejected) = try executor.produce(
            parent: genesisBlock.header, candidates: [tooRich, gap, cheap, create, good].map { ($0, alice.address) },
            coinbase: miner, timestamp: 1, state: s)
        XCTAssertEqual(block.transactions, [good])
        XCTAssertEqual(rejected.count, 4)
        XCTAssertTrue(rejected[0].reason.contains("insufficient funds"))
        XCTAssertTrue(rejected[1].reason.contains("nonce too high"))
        XCTAssertTrue(rejected[2].reason.contains("below the base fee"))
        XCTAssertTrue(rejected[3].reason.contains("intrinsic gas"), rejected[3].reason)
        XCTAssertEqual(try s.nonce(alice.address), 1)
    }

    func testJournalRevertsEveryKindOfChange() throws {
        let s = WorldState()
        try s.setBalance(bob, UInt256(5))
        let before = try s.intermediateRoot()
        let mark = s.snapshot()
        try s.setBalance(bob, UInt256(7))
        try s.setNonce(bob, 3)
        try s.setStorage(bob, slot: .zero, UInt256(9))
        try s.setCode(miner, [1, 2, 3])
        XCTAssertNotEqual(try s.intermediateRoot(), before)
        s.revert(to: mark)
        XCTAssertEqual(try s.balance(bob), UInt256(5))
        XCTAssertEqual(try s.storage(bob, slot: .zero), .zero)
        XCTAssertEqual(try s.code(miner), [])
        XCTAssertEqual(try s.intermediateRoot(), before)
    }

    func testEmptyAccountsTouchedAreRemoved() throws {
        let s = WorldState()
        try s.setBalance(bob, .zero)
        XCTAssertEqual(try s.commit(), MerklePatriciaTrie.emptyRoot)
    }

    func testBaseFeeFollowsEIP1559() {
        var parent = BlockHeader(parentHash: .zero, coinbase: .zero, stateRoot: .zero, transactionsRoot: .zero, receiptsRoot: .zero,
                                 logsBloom: .empty, difficulty: .one, number: 1, gasLimit: 30_000_000, gasUsed: 15_000_000,
                                 timestamp: 1, extraData: [], baseFeePerGas: gwei, childChainsRoot: .zero)
        XCTAssertEqual(BaseFee.next(after: parent), gwei)
        parent.gasUsed = 30_000_000
        XCTAssertEqual(BaseFee.next(after: parent), UInt256(1_125_000_000))
        parent.gasUsed = 0
        XCTAssertEqual(BaseFee.next(after: parent), UInt256(875_000_000))
        parent.baseFeePerGas = UInt256(7); parent.gasUsed = 15_000_001
        XCTAssertEqual(BaseFee.next(after: parent), UInt256(8))  // never less than +1 when above target
        // From zero a full block starts it at one wei (as go-ethereum does), so a chain that starts free still prices
        // congestion; from one wei it never falls back to zero: the step down rounds to nothing.
        parent.baseFeePerGas = .zero; parent.gasUsed = 30_000_000
        XCTAssertEqual(BaseFee.next(after: parent), .one)
        parent.baseFeePerGas = .one; parent.gasUsed = 0
        XCTAssertEqual(BaseFee.next(after: parent), .one)
    }

    func testReceiptAndBloomEncodings() throws {
        let log = Log(address: bob, topics: [Keccak256.h256([1])], data: [0xde, 0xad])
        let r = Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: 21_000, logs: [log])
        XCTAssertEqual(r.encoded.first, 2)
        XCTAssertEqual(try Receipt(encoded: r.encoded), r)
        XCTAssertTrue(r.bloom.mayContain(bob.bytes))
        XCTAssertTrue(r.bloom.mayContain(Keccak256.hash([1])))
        XCTAssertFalse(r.bloom.mayContain(miner.bytes))
        let legacy = Receipt(type: .legacy, succeeded: false, cumulativeGasUsed: 1, logs: [])
        XCTAssertEqual(try Receipt(encoded: legacy.encoded), legacy)
        XCTAssertThrowsError(try Receipt(encoded: [0x05, 0xc0]))
        XCTAssertThrowsError(try BlockHeader(encoded: [0xc0]))
        XCTAssertThrowsError(try Block(encoded: [0xc2, 0xc0, 0xc0]))
    }
}
