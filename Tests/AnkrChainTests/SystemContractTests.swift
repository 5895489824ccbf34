import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import XCTest

/// A contract written only for this test: it proves the seam (dispatch, gas, storage, logs,
/// reverts), not any product feature.
struct CounterContract: SystemContract {
    let address = try! Address(hex: "0x00000000000000000000000000000000000affff")
    let abiJSON = "[]"
    static let incremented = try! ABI.eventTopic("Incremented(address,uint256)")

    func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        let selector = Array(call.input.prefix(4))
        if selector == (try ABI.selector("increment(uint256)")) {
            guard call.gasAvailable >= 5_000 else { throw SystemCallError.outOfGas }
            guard let args = try? ABI.decode([.uint(bits: 256)], from: Array(call.input.dropFirst(4))), case .uint(let by) = args[0] else {
                throw SystemCallError.badArguments("increment takes one uint256")
            }
            let total = try state.storage(address, slot: .zero) &+ by
            try state.setStorage(address, slot: .zero, total)
            let topic = try H256([UInt8](repeating: 0, count: 12) + call.caller.bytes)
            return SystemCallResult(output: total.bigEndianBytes, gasUsed: 5_000,
                                    logs: [Log(address: address, topics: [Self.incremented, topic], data: total.bigEndianBytes)])
        }
        if selector == (try ABI.selector("fail()")) {
            try state.setStorage(address, slot: .zero, UInt256(999))
            throw SystemCallError.reverted("always fails", gasUsed: 100)
        }
        throw SystemCallError.unknownSelector(selector)
    }
}

final class SystemContractTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))

    func testCallsChargeGasKeepStorageEmitLogsAndRevertCleanly() throws {
        let counter = CounterContract()
        let chain = try Blockchain(database: ChainDatabase(),
                                   genesis: Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]),
                                   systemContracts: SystemContractRegistry([counter]))
        func call(_ nonce: UInt64, _ data: [UInt8], value: UInt256 = .zero) throws -> (Transaction, Address) {
            (try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                        gasLimit: 100_000, to: counter.address, value: value, data: data).signed(with: alice), alice.address)
        }
        let inc = try ABI.encodeCall("increment(uint256)", [.uint(UInt256(7))])
        let block = try chain.produceBlock(candidates: [try call(0, inc), try call(1, try ABI.selector("fail()"), value: UInt256(5)), try call(2, [1, 2])],
                                           coinbase: .zero, timestamp: 1).block
        try chain.importBlock(block)
        let receipts = try XCTUnwrap(try chain.receipts(blockHash: block.hash))
        XCTAssertEqual(receipts.map(\.succeeded), [true, false, false])
        let intrinsic = IntrinsicGas.of(block.transactions[0], fork: .cancun).uint64 ?? 0
        XCTAssertEqual(receipts[0].cumulativeGasUsed, intrinsic + 5_000)
        XCTAssertEqual(receipts[0].logs.first?.topics.first, CounterContract.incremented)
        XCTAssertTrue(receipts[0].bloom.mayContain(counter.address.bytes))
        // The revert charged its gas but left neither its storage write nor the value behind.
        let revertGas = receipts[1].cumulativeGasUsed - receipts[0].cumulativeGasUsed
        XCTAssertEqual(revertGas, IntrinsicGas.of(block.transactions[1], fork: .cancun).uint64! + 100)
        // An unknown selector burns the whole gas limit, like an invalid opcode.
        XCTAssertEqual(receipts[2].cumulativeGasUsed - receipts[1].cumulativeGasUsed, 100_000)
        let state = chain.state(at: chain.head)
        XCTAssertEqual(try state.storage(counter.address, slot: .zero), UInt256(7))
        XCTAssertEqual(try state.balance(counter.address), .zero)
        XCTAssertEqual(try state.nonce(alice.address), 3)
    }
}
