import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import XCTest

/// Senders are recovered on the other cores while the block executes; the results and the
/// refusals must be exactly those of recovering everything first.
final class SenderRecoveryTests: XCTestCase {
    let keys = (1...24).map { i in try! PrivateKey(hex: "0x" + String(format: "%064x", i * 7919)) }
    let bob = try! Address(hex: "0x" + String(repeating: "b0", count: 20))

    var genesis: Genesis {
        var alloc = [Address: Genesis.Allocation]()
        for k in keys { alloc[k.address] = .init(balance: UInt256(1_000_000_000_000_000_000)) }
        return Genesis(chainID: 7331, alloc: alloc)
    }

    func transfer(from key: PrivateKey, nonce: UInt64, chainID: UInt64 = 7331) throws -> Transaction {
        try Transaction.dynamicFee(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                   gasLimit: 21_000, to: bob, value: .one).signed(with: key)
    }

    func testEverySenderIsRecoveredInOrder() throws {
        let executor = BlockExecutor(chainID: 7331, parameters: ChainParameters())
        let txs = try (0..<300).map { i in try transfer(from: keys[i % keys.count], nonce: UInt64(i / keys.count)) }
        XCTAssertEqual(try executor.recoverSenders(txs), (0..<300).map { keys[$0 % keys.count].address })
        XCTAssertEqual(try executor.recoverSenders([]), [])
        XCTAssertEqual(try executor.recoverSenders([txs[5]]), [keys[5].address])
    }

    func testTheFirstRefusedTransactionIsReported() throws {
        let executor = BlockExecutor(chainID: 7331, parameters: ChainParameters())
        var txs = try (0..<100).map { i in try transfer(from: keys[i % keys.count], nonce: UInt64(i / keys.count)) }
        txs[70].s = Signature.order &- .one          // high s (EIP-2)
        txs[40].r = .zero                            // out of range
        txs[90] = try transfer(from: keys[0], nonce: 9, chainID: 1)
        XCTAssertThrowsError(try executor.recoverSenders(txs)) { error in
            guard case .transaction(let index, let hash, let e)? = error as? ChainError else { return XCTFail("\(error)") }
            XCTAssertEqual(index, 40)
            XCTAssertEqual(hash, txs[40].hash)
            XCTAssertEqual(e, .invalidSignature(.signatureOutOfRange))
        }
        XCTAssertThrowsError(try executor.recoverSenders(Array(txs[71...]))) { error in
            guard case .transaction(let index, _, .wrongChainID)? = error as? ChainError else { return XCTFail("\(error)") }
            XCTAssertEqual(index, 19)
        }
    }

    /// A block whose first transaction cannot execute and whose second has a bad signature is
    /// refused for the signature, as before execution and recovery overlapped, and changes nothing.
    func testABadSignatureOutranksAnEarlierExecutionFailure() throws {
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        let good = try (0..<40).map { i in (try transfer(from: keys[i % keys.count], nonce: UInt64(i / keys.count)), keys[i % keys.count].address) }
        var block = try chain.executor.produce(parent: chain.head, candidates: good, coinbase: bob, timestamp: 1,
                                               state: chain.state(at: chain.head)).block
        XCTAssertEqual(block.transactions.count, 40)
        let tooHigh = try transfer(from: keys[0], nonce: 99)
        var badSignature = block.transactions[30]
        badSignature.s = Signature.order &- .one
        block.transactions[2] = tooHigh
        block.transactions[30] = badSignature
        XCTAssertThrowsError(try chain.importBlock(block)) { error in
            guard case .transaction(let index, _, .invalidSignature(.highS))? = error as? ChainError else { return XCTFail("\(error)") }
            XCTAssertEqual(index, 30)
        }
        // Without the bad signature the execution failure is what refuses it.
        block.transactions[30] = try transfer(from: keys[30 % keys.count], nonce: 1)
        XCTAssertThrowsError(try chain.importBlock(block)) { error in
            guard case .mismatch(let field, _, _)? = error as? BlockValidationError else { return XCTFail("\(error)") }
            XCTAssertTrue(field.hasPrefix("transaction 2 "), field)
        }
        XCTAssertEqual(chain.head.number, 0)
        XCTAssertEqual(try chain.database.headerCount(), 1)
    }
}
