import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import AnkrTestSupport
import XCTest

/// Contracts on the main chain: bytecode deployed and called through the EVM, system contracts
/// called from bytecode, and the whole block re-executed by an importing node to the same roots.
final class ContractExecutionTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let counter = CounterContract()
    let caller = try! Address(hex: "0x00000000000000000000000000000000000000c1")

    /// Runtime: stores calldata word 0 in slot 0 and returns it.
    static let storeRuntime: [UInt8] = [0x60, 0x00, 0x35, 0x80, 0x60, 0x00, 0x55, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]

    /// Initcode that deploys `runtime` (CODECOPY it after a 12-byte prefix, RETURN it).
    static func deploying(_ runtime: [UInt8]) -> [UInt8] {
        let n = UInt8(runtime.count)
        return [0x60, n, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, n, 0x60, 0x00, 0xf3] + runtime
    }

    /// Runtime that calls the counter's `increment(7)` with `op` (CALL, STATICCALL or DELEGATECALL),
    /// then stores the success flag in slot 0 and the returned word in slot 1.
    func callingCounter(_ op: UInt8) throws -> [UInt8] {
        let selector = try ABI.selector("increment(uint256)")
        var code: [UInt8] = [0x63] + selector + [0x60, 0xe0, 0x1b, 0x60, 0x00, 0x52]  // mem[0..4] = selector
        code += [0x60, 0x07, 0x60, 0x04, 0x52]  // mem[4..36] = 7
        code += [0x60, 0x20, 0x60, 0x40, 0x60, 0x24, 0x60, 0x00]  // ret 64..96, args 0..36
        if op == 0xf1 { code += [0x60, 0x00] }  // value
        code += [0x73] + counter.address.bytes + [0x61, 0xc3, 0x50, op]  // 50,000 gas: a failure burns only that
        code += [0x60, 0x00, 0x55, 0x60, 0x40, 0x51, 0x60, 0x01, 0x55, 0x00]
        return code
    }

    func chain(_ extra: [Address: Genesis.Allocation] = [:]) throws -> Blockchain {
        var alloc = extra
        alloc[alice.address] = .init(balance: UInt256(1_000_000_000_000_000_000))
        return try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, alloc: alloc),
                              systemContracts: SystemContractRegistry([counter]))
    }

    func tx(_ nonce: UInt64, to: Address?, data: [UInt8], gas: UInt64 = 300_000) throws -> (Transaction, Address) {
        (try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                    gasLimit: gas, to: to, value: .zero, data: data).signed(with: alice), alice.address)
    }

    /// Produces a block on `chain`, imports it, and has a second node import it too (re-executing it).
    @discardableResult
    func mine(_ chain: Blockchain, _ txs: [(Transaction, Address)], replayOn other: Blockchain? = nil) throws -> (Block, [Receipt]) {
        let built = try chain.produceBlock(candidates: txs, coinbase: .zero, timestamp: chain.head.timestamp + 1)
        let (block, rejected) = (built.block, built.rejected)
        XCTAssertTrue(rejected.isEmpty, "\(rejected.map(\.reason))")
        try chain.importBlock(block)
        if let other { XCTAssertEqual(try other.importBlock(block), .newHead(orphaned: [])) }
        return (block, try XCTUnwrap(try chain.receipts(blockHash: block.hash)))
    }

    func word(_ v: UInt64) -> [UInt8] { UInt256(v).bigEndianBytes }

    func testDeployAndCallBytecodeAndAnotherNodeAgrees() throws {
        let a = try chain(), b = try chain()
        let (block, receipts) = try mine(a, [try tx(0, to: nil, data: Self.deploying(Self.storeRuntime))], replayOn: b)
        XCTAssertEqual(receipts.map(\.succeeded), [true])
        let address = try XCTUnwrap(block.transactions[0].createdContract(sender: alice.address))
        XCTAssertEqual(try a.state(at: a.head).code(address), Self.storeRuntime)
        try mine(a, [try tx(1, to: address, data: word(42))], replayOn: b)
        XCTAssertEqual(try b.state(at: b.head).storage(address, slot: .zero), UInt256(42))
        XCTAssertEqual(a.head.stateRoot, b.head.stateRoot)

        // eth_call semantics: nothing stored, the output returned.
        let context = BlockContext(header: a.head, chainID: 7331)
        let result = try StateTransition.call(from: alice.address, to: address, value: .zero, input: word(9), gas: 100_000, context: context,
                                              state: a.state(at: a.head), systemContracts: a.executor.systemContracts)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(result.output, word(9))
        XCTAssertEqual(try a.state(at: a.head).storage(address, slot: .zero), UInt256(42))
    }

    func testBytecodeCallsASystemContractLikeAnyContract() throws {
        let a = try chain([caller: .init(balance: .zero, code: try callingCounter(0xf1))]), b = try chain([caller: .init(balance: .zero, code: try callingCounter(0xf1))])
        let (_, receipts) = try mine(a, [try tx(0, to: caller, data: [])], replayOn: b)
        XCTAssertEqual(receipts.map(\.succeeded), [true])
        let state = b.state(at: b.head)
        XCTAssertEqual(try state.storage(caller, slot: .zero), .one, "CALL succeeded")
        XCTAssertEqual(try state.storage(caller, slot: H256(word: .one)), UInt256(7), "the counter's return data reached the caller")
        XCTAssertEqual(try state.storage(counter.address, slot: .zero), UInt256(7))
        // The system contract's log is in the receipt, naming the contract as the caller.
        let log = try XCTUnwrap(receipts[0].logs.first)
        XCTAssertEqual(log.address, counter.address)
        XCTAssertEqual(log.topics.last, H256(word: UInt256(bigEndian: caller.bytes) ?? .zero))
    }

    func testStaticCallAndDelegateCallCannotChangeASystemContract() throws {
        for op: UInt8 in [0xfa, 0xf4] {
            let a = try chain([caller: .init(balance: .zero, code: try callingCounter(op))])
            let (_, receipts) = try mine(a, [try tx(0, to: caller, data: [])])
            XCTAssertEqual(receipts.map(\.succeeded), [true], "the outer call goes on")
            let state = a.state(at: a.head)
            XCTAssertEqual(try state.storage(caller, slot: .zero), .zero, "op \(op): the inner call failed")
            XCTAssertEqual(try state.storage(counter.address, slot: .zero), .zero, "op \(op): the counter is untouched")
            XCTAssertTrue(receipts[0].logs.isEmpty)
        }
    }

    func testRevertReasonComesBackAsErrorString() throws {
        let a = try chain()
        let context = BlockContext(header: a.head, chainID: 7331)
        let result = try StateTransition.call(from: alice.address, to: counter.address, value: .zero, input: try ABI.selector("fail()"), gas: 100_000,
                                              context: context, state: a.state(at: a.head), systemContracts: a.executor.systemContracts)
        XCTAssertTrue(result.reverted)
        XCTAssertEqual(ABI.revertReason(result.output), "always fails")
        XCTAssertThrowsError(try StateTransition.call(from: alice.address, to: counter.address, value: .zero, input: [], gas: 20_000,
                                                      context: context, state: a.state(at: a.head), systemContracts: a.executor.systemContracts),
                             "intrinsic gas above the gas given")
    }

    func testSelfDestructInCreationLeavesNoAccountAndRootsAgree() throws {
        // Initcode: SELFDESTRUCT to 0xbe (EIP-6780: created in this transaction, so it is deleted).
        let initcode: [UInt8] = [0x60, 0xbe, 0xff]
        let a = try chain(), b = try chain()
        let (block, receipts) = try mine(a, [try tx(0, to: nil, data: initcode)], replayOn: b)
        XCTAssertEqual(receipts.map(\.succeeded), [true])
        let address = try XCTUnwrap(block.transactions[0].createdContract(sender: alice.address))
        XCTAssertNil(try b.state(at: b.head).account(address))
        XCTAssertEqual(a.head.stateRoot, b.head.stateRoot)
    }

    func testBlockhashSeesAncestorsAndOutOfGasIsChargedInFull() throws {
        // Runtime: SSTORE(0, BLOCKHASH(NUMBER - 1)).
        let runtime: [UInt8] = [0x60, 0x01, 0x43, 0x03, 0x40, 0x60, 0x00, 0x55, 0x00]
        let a = try chain([caller: .init(balance: .zero, code: runtime)]), b = try chain([caller: .init(balance: .zero, code: runtime)])
        try mine(a, [], replayOn: b)
        let parent = a.head.hash
        let (_, receipts) = try mine(a, [try tx(0, to: caller, data: []), try tx(1, to: caller, data: [], gas: 22_000)], replayOn: b)
        XCTAssertEqual(receipts.map(\.succeeded), [true, false])
        XCTAssertEqual(receipts[1].cumulativeGasUsed - receipts[0].cumulativeGasUsed, 22_000)
        XCTAssertEqual(try b.state(at: b.head).storage(caller, slot: .zero), UInt256(bigEndian: parent.bytes))
    }
}
