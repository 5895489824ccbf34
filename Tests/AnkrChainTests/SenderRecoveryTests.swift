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
    /// Three blocks of 48 transfers each (two per key), built on a producer chain.
    private func producedBlocks(_ genesis: Genesis) throws -> [Block] {
        let producer = try Blockchain(database: ChainDatabase(), genesis: genesis)
        var blocks = [Block]()
        for b in 0..<3 {
            let txs = try (0..<48).map { i in (try transfer(from: keys[i % keys.count], nonce: UInt64(b * 2 + i / keys.count)), keys[i % keys.count].address) }
            let built = try producer.produceBlock(candidates: txs, coinbase: bob, timestamp: UInt64(b + 1))
            XCTAssertEqual(built.block.transactions.count, 48)
            try producer.importBlock(built, sealed: built.block)
            blocks.append(built.block)
        }
        return blocks
    }

    /// A batch shares one sender recovery across its blocks: the result is the chain and index that
    /// importing them one by one gives.
    func testABatchImportsLikeOneBlockAtATime() throws {
        let blocks = try producedBlocks(genesis)
        let batch = try Blockchain(database: ChainDatabase(), genesis: genesis)
        var seen = [UInt64]()
        try batch.importBlocks(blocks) { block, result in
            guard case .newHead = result else { return XCTFail("\(result)") }
            seen.append(block.number)
        }
        XCTAssertEqual(seen, [1, 2, 3])
        XCTAssertEqual(batch.head.hash, blocks[2].hash)
        for block in blocks {
            for (i, tx) in block.transactions.enumerated() {
                XCTAssertEqual(try batch.transaction(hash: tx.hash)?.location.index, i)
                XCTAssertEqual(try batch.transaction(hash: tx.hash)?.location.blockHash, block.hash)
            }
        }
        XCTAssertEqual(try batch.block(hash: blocks[1].hash)?.transactions, blocks[1].transactions)
        // A batch of known blocks changes nothing.
        try batch.importBlocks(blocks) { _, result in
            guard case .known = result else { return XCTFail("\(result)") }
        }
        // A batch that starts with a stored block skips its senders and imports the rest.
        let partly = try Blockchain(database: ChainDatabase(), genesis: genesis)
        try partly.importBlock(blocks[0])
        var results = [ImportResult]()
        try partly.importBlocks(blocks) { _, result in results.append(result) }
        XCTAssertEqual(results, [.known, .newHead(orphaned: []), .newHead(orphaned: [])])
        XCTAssertEqual(partly.head.hash, blocks[2].hash)
    }

    /// A bad signature in the second block of a batch: the first stays imported, the error names the
    /// transaction's index within its own block, and nothing after it is stored.
    func testABatchStopsAtItsFirstInvalidBlock() throws {
        var blocks = try producedBlocks(genesis)
        blocks[1].transactions[30].s = Signature.order &- .one
        let batch = try Blockchain(database: ChainDatabase(), genesis: genesis)
        var imported = 0
        XCTAssertThrowsError(try batch.importBlocks(blocks) { _, _ in imported += 1 }) { error in
            guard case .transaction(let index, _, .invalidSignature(.highS))? = error as? ChainError else { return XCTFail("\(error)") }
            XCTAssertEqual(index, 30)
        }
        XCTAssertEqual(imported, 1)
        XCTAssertEqual(batch.head.hash, blocks[0].hash)
        XCTAssertEqual(try batch.database.headerCount(), 2)
    }
}
