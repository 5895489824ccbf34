import AnkrEVM
import AnkrPrimitives
import XCTest

/// EIP-4844 as the state-test runner applies it: the blob base fee from the excess blob gas, type-3
/// validity, and the blob fee burned up front whatever the outcome.
final class BlobTransactionTests: XCTestCase {
    let sender = try! Address(hex: "0x000000000000000000000000000000000000cafe")
    let target = try! Address(hex: "0x000000000000000000000000000000000000c0de")

    func testBlobBaseFeeFollowsTheFakeExponential() {
        XCTAssertEqual(TransactionExecutor.blobBaseFee(excessBlobGas: 0), .one)
        XCTAssertEqual(TransactionExecutor.blobBaseFee(excessBlobGas: 3_338_477), UInt256(2), "e¹ rounded down")
        XCTAssertEqual(TransactionExecutor.blobBaseFee(excessBlobGas: 10_000_000), UInt256(19))
        XCTAssertEqual(TransactionExecutor.blobBaseFee(excessBlobGas: .max), .max, "capped, and it returns")
    }

    func message(to: Address?, hashes: [H256], maxFeePerBlobGas: UInt256) -> TransactionMessage {
        TransactionMessage(sender: sender, to: to, nonce: .zero, gasLimit: UInt256(21_000), value: .zero, data: [], gasPrice: nil,
                           maxFeePerGas: UInt256(10), maxPriorityFeePerGas: .zero, accessList: [], blobHashes: hashes, maxFeePerBlobGas: maxFeePerBlobGas)
    }

    func testValidityAndTheBurnedBlobFee() throws {
        let versioned = try H256([0x01] + [UInt8](repeating: 7, count: 31))
        let block = BlockEnvironment(chainID: 1, coinbase: .zero, number: 1, timestamp: 1, gasLimit: 30_000_000, baseFee: UInt256(10),
                                     blobBaseFee: UInt256(3))
        func fresh() -> InMemoryEVMState {
            let s = InMemoryEVMState()
            s.setAccount(sender, EVMAccount(balance: UInt256(10_000_000)))
            s.beginTransaction()
            return s
        }
        for (m, why) in [
            (message(to: nil, hashes: [versioned], maxFeePerBlobGas: UInt256(3)), "creation"),
            (message(to: target, hashes: [], maxFeePerBlobGas: UInt256(3)), "no blobs"),
            (message(to: target, hashes: Array(repeating: versioned, count: 7), maxFeePerBlobGas: UInt256(3)), "seven blobs"),
            (message(to: target, hashes: [try H256([0x02] + [UInt8](repeating: 7, count: 31))], maxFeePerBlobGas: UInt256(3)), "version 2"),
            (message(to: target, hashes: [versioned], maxFeePerBlobGas: UInt256(2)), "fee cap below the blob base fee"),
            (message(to: target, hashes: [versioned], maxFeePerBlobGas: .max), "cannot pay the cap"),
        ] {
            let s = fresh()
            XCTAssertThrowsError(try TransactionExecutor.apply(m, state: s, block: block), why)
            XCTAssertEqual(s.account(sender)?.balance, UInt256(10_000_000), why)
        }
        let s = fresh()
        let outcome = try TransactionExecutor.apply(message(to: target, hashes: [versioned, versioned], maxFeePerBlobGas: UInt256(5)), state: s, block: block)
        XCTAssertEqual(outcome.gasUsed, 21_000)
        // 21,000 gas at the base fee, and 2 × 131,072 blob gas at the blob base fee of 3 (not the cap of 5).
        XCTAssertEqual(s.account(sender)?.balance, UInt256(10_000_000 - 21_000 * 10 - 2 * 131_072 * 3))
    }
}
