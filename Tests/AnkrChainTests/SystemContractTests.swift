import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import AnkrTestSupport
import XCTest

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
