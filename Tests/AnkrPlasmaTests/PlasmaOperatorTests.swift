import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import GRDB
import XCTest

/// The operator's pool and blocks: what it refuses and why, what it builds, and that a restart
/// from its SQLite store loses nothing it acknowledged.
final class PlasmaOperatorTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let carol = try! PrivateKey(hex: "0x" + String(repeating: "c3", count: 32))

    func pay(_ from: PrivateKey, _ inputs: [UTXOPosition], _ outputs: [(PrivateKey, UInt64)], fee: UInt64 = 0, signers: [PrivateKey]? = nil) throws -> PlasmaTransaction {
        var tx = try PlasmaTransaction(inputs: inputs.map { .init($0) }, outputs: outputs.map { .init(owner: $0.0.address, amount: UInt256($0.1)) },
                                       fee: UInt256(fee))
        for (i, k) in (signers ?? inputs.map { _ in from }).enumerated() { try tx.sign(input: i, with: k) }
        return tx
    }

    func pos(_ b: UInt64, _ t: UInt64 = 0, _ o: UInt64 = 0) throws -> UTXOPosition { try UTXOPosition(blockNumber: b, txIndex: t, outputIndex: o) }

    func assertRefused(_ op: PlasmaOperator, _ tx: [UInt8], _ expected: String, line: UInt = #line) {
        XCTAssertThrowsError(try op.accept(tx), line: line) { e in
            guard let r = e as? PlasmaOperator.Refusal else { return XCTFail("\(e)", line: line) }
            XCTAssertTrue(r.description.contains(expected), r.description, line: line)
        }
    }

    func testRefusesEveryInvalidTransactionWithItsReasonAndBuildsBlocks() throws {
        let op = try PlasmaOperator(store: try ChildChainStore())
        try op.recordDeposit(block: 1, owner: alice.address, amount: UInt256(500))
        try op.recordDeposit(block: 2, owner: bob.address, amount: UInt256(300))
        try op.recordDeposit(block: 2, owner: bob.address, amount: UInt256(300))  // idempotent

        let good = try pay(alice, [try pos(1)], [(bob, 200), (alice, 300)])
        XCTAssertEqual(try op.accept(good.encoded), good.hash)
        assertRefused(op, good.encoded, "already known")
        assertRefused(op, [0xde, 0xad], "malformed")
        assertRefused(op, try pay(alice, [try pos(1)], [(carol, 500)]).encoded, "already spent")
        assertRefused(op, try pay(bob, [try pos(2)], [(carol, 300)], signers: [carol]).encoded, "not signed by the owner")
        assertRefused(op, try pay(bob, [try pos(2)], [(carol, 250)], fee: 60).encoded, "outputs plus fee")
        assertRefused(op, try pay(bob, [try pos(3)], [(carol, 1)]).encoded, "does not exist")
        assertRefused(op, PlasmaTransaction.deposit(owner: carol.address, amount: UInt256(9)).encoded, "creates value")
        // Two inputs, a fee; both signed by their owners.
        let joint = try pay(bob, [try pos(2), try pos(1000)], [(carol, 1)], signers: [bob, bob])
        assertRefused(op, joint.encoded, "does not exist")  // block 1000 is not built yet
        XCTAssertEqual(op.pendingCount, 1)

        let block = try XCTUnwrap(try op.buildBlock(number: 1000))
        XCTAssertEqual(block.transactions, [good])
        XCTAssertNil(try op.buildBlock(number: 2000), "one block at a time until the root is on the main chain")
        try op.markSubmitted(1000)
        XCTAssertNil(try op.buildBlock(number: 2000), "nothing pending")
        // Confirmations: only the input owner's count.
        do {
            XCTAssertThrowsError(try op.confirm(good.hash, signatures: try ConfirmSignature.sign(transaction: good.hash, blockRoot: block.merkleRoot, with: bob)))
            try op.confirm(good.hash, signatures: try ConfirmSignature.sign(transaction: good.hash, blockRoot: block.merkleRoot, with: alice))
            XCTAssertNotNil(op.confirmation(of: good.hash))
        }
        // Bob spends his new output together with his deposit: 300 + 200 = 450 + 50 fee.
        let spend = try pay(bob, [try pos(2), try pos(1000)], [(carol, 450)], fee: 50, signers: [bob, bob])
        try op.accept(spend.encoded)
        XCTAssertEqual(op.spendable(of: bob.address).count, 0, "outputs spent by pending transactions are not offered again")
        let next = try XCTUnwrap(try op.buildBlock(number: 2000))
        XCTAssertEqual(next.previousHeaderHash, block.headerHash)
        let ledger = op.ledgerSnapshot
        XCTAssertEqual(ledger.unspent(of: carol.address).map(\.output.amount), [UInt256(450)])
        XCTAssertEqual(ledger.unspent(of: alice.address).map(\.position), [try pos(1000, 0, 1)])
    }

    func testARestartFromTheStoreKeepsBlocksThePoolTheUnsubmittedBlockAndConfirmations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-operator-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("operator.sqlite").path
        let first = try pay(alice, [try pos(1)], [(bob, 100)])
        let second = try pay(carol, [try pos(2)], [(bob, 70)])
        let block: ChildBlock
        do {
            let op = try PlasmaOperator(store: try ChildChainStore(path: path))
            try op.recordDeposit(block: 1, owner: alice.address, amount: UInt256(100))
            try op.recordDeposit(block: 2, owner: carol.address, amount: UInt256(70))
            try op.accept(first.encoded)
            block = try XCTUnwrap(try op.buildBlock(number: 1000))
            try op.accept(second.encoded)
        }
        let reopened = try PlasmaOperator(store: try ChildChainStore(path: path))
        XCTAssertEqual(reopened.blockAwaitingSubmission, block, "the built block is still waiting for its root to land")
        XCTAssertEqual(reopened.pendingCount, 1)
        XCTAssertEqual(reopened.ledgerSnapshot.unspent(of: bob.address).map(\.output.amount), [UInt256(100)])
        try reopened.markSubmitted(1000)
        try reopened.confirm(first.hash, signatures: try ConfirmSignature.sign(transaction: first.hash, blockRoot: block.merkleRoot, with: alice))
        let next = try XCTUnwrap(try reopened.buildBlock(number: 2000))
        XCTAssertEqual(next.transactions, [second])
        let third = try PlasmaOperator(store: try ChildChainStore(path: path))
        XCTAssertNotNil(third.confirmation(of: first.hash))
        XCTAssertEqual(third.ledgerSnapshot.latestOperatorBlock, 2000)
        XCTAssertEqual(third.ledgerSnapshot.lastHeaderHash, next.headerHash)
    }

    /// Eight threads accepting one transaction per call (group commit): every acknowledged transaction
    /// is stored, in pool order, and a restart finds the same pool; blocks take exactly the stored ones.
    func testConcurrentAcceptorsLoseNothingAcrossARestart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-operator-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("operator.sqlite").path
        let n = 400
        let txs = try (0..<n).map { try pay(alice, [try pos(UInt64($0 + 1))], [(bob, 10)]) }
        do {
            let op = try PlasmaOperator(store: try ChildChainStore(path: path))
            try op.record((0..<n).map { PlasmaOperator.Deposit(block: UInt64($0 + 1), owner: alice.address, amount: UInt256(10)) })
            let acknowledged = ResultSlots<H256>(count: n)
            DispatchQueue.concurrentPerform(iterations: 8) { t in
                for i in stride(from: t, to: n, by: 8) { acknowledged[i] = try? op.accept(txs[i].encoded) }
            }
            XCTAssertEqual(acknowledged.values, txs.map { Optional($0.hash) })
            XCTAssertEqual(op.pendingCount, n)
        }
        let reopened = try PlasmaOperator(store: try ChildChainStore(path: path))
        XCTAssertEqual(reopened.pendingCount, n)
        let block = try XCTUnwrap(try reopened.buildBlock(number: 1000))
        XCTAssertEqual(Set(block.transactions.map(\.hash)), Set(txs.map(\.hash)))
        try reopened.markSubmitted(1000)
        XCTAssertEqual(try PlasmaOperator(store: try ChildChainStore(path: path)).pendingCount, 0, "the block took every pending row")
    }

    /// A group write that fails refuses its transactions to their senders and leaves them out of the
    /// pool and the next block: nothing unstored is acknowledged. The same bytes go through once the
    /// store works again.
    func testAFailedWriteRefusesItsTransactionsAndKeepsThemOutOfBlocks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-operator-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("operator.sqlite").path
        let op = try PlasmaOperator(store: try ChildChainStore(path: path))
        try op.recordDeposit(block: 1, owner: alice.address, amount: UInt256(10))
        // Another writer takes the row the operator's first admission will be stored under.
        try ChildChainStore(path: path).addPending([(seq: 1, raw: [0xc0])])
        let tx = try pay(alice, [try pos(1)], [(bob, 10)])
        assertRefused(op, tx.encoded, "cannot store transactions")
        XCTAssertEqual(op.pendingCount, 0)
        XCTAssertTrue(op.spendable(of: alice.address).count == 1, "the refused spend no longer holds the deposit")
        XCTAssertNil(try op.buildBlock(number: 1000))
        XCTAssertEqual(try op.accept(tx.encoded), tx.hash)
        XCTAssertEqual(try XCTUnwrap(try op.buildBlock(number: 1000)).transactions, [tx])
    }

    /// An operator database from before pending rows were keyed by the pool's sequence (hash index,
    /// AUTOINCREMENT) keeps its pool, in order, across the upgrade.
    func testAnOlderDatabaseKeepsItsPendingPool() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-operator-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("operator.sqlite").path
        let deposits = try (1...3).map { try ChildBlock(number: UInt64($0), previousHeaderHash: .zero, transactions: [.deposit(owner: alice.address, amount: UInt256(10))]) }
        let txs = try (1...3).map { try pay(alice, [try pos(UInt64($0))], [(bob, 10)]) }
        do {
            // The schema as migrations v1 to v3 left it, written by hand.
            let old = try DatabaseQueue(path: path)
            try old.write { db in
                try db.execute(sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1'), ('v2-exiting'), ('v3-anchors');
                    CREATE TABLE block (number INTEGER PRIMARY KEY, rlp BLOB NOT NULL, submitted INTEGER NOT NULL);
                    CREATE TABLE pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, hash BLOB NOT NULL UNIQUE, rlp BLOB NOT NULL);
                    CREATE TABLE confirmation (tx_hash BLOB PRIMARY KEY, signatures BLOB NOT NULL) WITHOUT ROWID;
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE exiting (position INTEGER PRIMARY KEY) WITHOUT ROWID;
                    CREATE TABLE deposit_anchor (block INTEGER PRIMARY KEY, main_number INTEGER NOT NULL, main_hash BLOB NOT NULL) WITHOUT ROWID;
                    CREATE TABLE scan_anchor (key TEXT PRIMARY KEY, main_number INTEGER NOT NULL, main_hash BLOB NOT NULL) WITHOUT ROWID;
                    """)
                for b in deposits { try db.execute(sql: "INSERT INTO block VALUES (?, ?, 1)", arguments: [Int64(b.number), Data(b.encoded)]) }
                for tx in txs.reversed() { try db.execute(sql: "INSERT INTO pending (hash, rlp) VALUES (?, ?)", arguments: [Data(tx.hash.bytes), Data(tx.encoded)]) }
            }
        }
        let op = try PlasmaOperator(store: try ChildChainStore(path: path))
        XCTAssertEqual(op.pendingCount, 3)
        let extra = try pay(bob, [try pos(4)], [(alice, 1)])
        try op.recordDeposit(block: 4, owner: bob.address, amount: UInt256(1))
        try op.accept(extra.encoded)
        XCTAssertEqual(try XCTUnwrap(try op.buildBlock(number: 1000)).transactions, txs.reversed() + [extra], "the old order, then the new")
    }

    func testBatchesAgreeWithOneByOneAndHostileBytesAreOnlyRefused() throws {
        let op = try PlasmaOperator(store: try ChildChainStore())
        var batch = [[UInt8]]()
        for i in 0..<300 {
            try op.recordDeposit(block: UInt64(i + 1), owner: alice.address, amount: UInt256(10))
            batch.append(try pay(alice, [try pos(UInt64(i + 1))], [(bob, 10)]).encoded)
        }
        batch.append(batch[0])  // a duplicate inside the batch
        batch.append([0xc0])
        let results = op.accept(batch: batch)
        XCTAssertEqual(results.filter { if case .success = $0 { return true } else { return false } }.count, 300)
        XCTAssertEqual(op.pendingCount, 300)
        // The repeat is known once its first copy is stored; the hostile bytes are refused, nothing else.
        XCTAssertEqual(results[300].failureValue, .known(try PlasmaTransaction(encoded: batch[0]).hash))
        guard case .malformed? = results[301].failureValue else { return XCTFail("\(results[301])") }
        // A second batch of the same transactions, each twice: all known, no write needed.
        let again = op.accept(batch: batch.prefix(50).flatMap { [$0, $0] })
        XCTAssertTrue(again.allSatisfy { if case .known? = $0.failureValue { return true } else { return false } })

        // 5,000 random corruptions of a valid transaction: never accepted, never a crash.
        try op.recordDeposit(block: 999, owner: carol.address, amount: UInt256(5))
        let valid = try pay(carol, [try pos(999)], [(bob, 5)]).encoded
        var rng = SplitMix64(seed: 6)
        for _ in 0..<5_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                case 1: bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &rng)...)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
                }
                if bytes.isEmpty { bytes = [0x80] }
            }
            XCTAssertThrowsError(try op.accept(bytes)) { XCTAssertTrue($0 is PlasmaOperator.Refusal) }
        }
        XCTAssertEqual(op.pendingCount, 300)
    }

    func testABatchPastAFullPoolIsRefusedWithoutRecoveringTheRest() throws {
        let op = try PlasmaOperator(store: try ChildChainStore(), maxPending: 2)
        var batch = [[UInt8]]()
        for i in 0..<5 {
            try op.recordDeposit(block: UInt64(i + 1), owner: alice.address, amount: UInt256(10))
            batch.append(try pay(alice, [try pos(UInt64(i + 1))], [(bob, 10)]).encoded)
        }
        // A bad signature is refused as a wrong signer (recovered once, outside the lock).
        let signature = try PlasmaTransaction(encoded: batch[1]).signatures[0]
        var forged = batch[1]
        let at = try XCTUnwrap((0...(forged.count - 65)).first { Array(forged[$0..<($0 + 65)]) == signature })
        forged[at + 5] ^= 1  // a byte of r
        let results = op.accept(batch: [forged] + batch + [batch[0]])
        XCTAssertEqual(results.count, 7)
        guard case .invalid(.wrongSigner(input: 0))? = results[0].failureValue else { return XCTFail("\(results[0])") }
        XCTAssertNil(results[1].failureValue)
        XCTAssertNil(results[2].failureValue)
        for r in results[3...5] { XCTAssertEqual(r.failureValue, .poolFull(2)) }
        XCTAssertEqual(results[6].failureValue, .known(try PlasmaTransaction(encoded: batch[0]).hash))
        XCTAssertEqual(op.pendingCount, 2)
    }

    /// An output whose exit started on the main chain leaves the spendable set, cannot be spent,
    /// takes a pending spend of it out of the pool, and stays exiting after a restart.
    func testExitingOutputsAreNeverSpentAgain() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-exiting-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var op: PlasmaOperator? = try PlasmaOperator(store: try ChildChainStore(path: path))
        try op?.recordDeposit(block: 1, owner: alice.address, amount: UInt256(500))
        try op?.recordDeposit(block: 2, owner: alice.address, amount: UInt256(70))
        let pending = try pay(alice, [try pos(2)], [(bob, 70)])
        try op?.accept(pending.encoded)
        XCTAssertEqual(op?.balance(of: alice.address), UInt256(570))

        try op?.recordExits([try pos(1).encoded, try pos(2).encoded])
        try op?.recordExits([try pos(1).encoded])  // idempotent
        XCTAssertEqual(op?.pendingCount, 0, "the pending spend of an exiting output is dropped")
        XCTAssertEqual(op?.spendable(of: alice.address).count, 0)
        XCTAssertEqual(op?.balance(of: alice.address), .zero)
        if let op { assertRefused(op, try pay(alice, [try pos(1)], [(bob, 500)]).encoded, "exiting to the main chain") }

        op = nil
        let reopened = try PlasmaOperator(store: try ChildChainStore(path: path))
        XCTAssertTrue(reopened.isExiting(try pos(1).encoded))
        XCTAssertEqual(reopened.pendingCount, 0, "the dropped spend does not come back from the store")
        assertRefused(reopened, try pay(alice, [try pos(1)], [(bob, 500)]).encoded, "exiting")
    }
}

/// A watcher's audit finds what PlasmaRoot accepts as fraud: each violation of the spend rule, and
/// double spends across blocks and inside one block.
final class ChildChainLedgerTests: XCTestCase {
    func testAuditFindsInvalidTransactionsAndDoubleSpends() throws {
        let alice = try PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
        let bob = try PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
        var ledger = ChildChainLedger()
        ledger.apply(try ChildBlock(number: 1, previousHeaderHash: .zero, transactions: [.deposit(owner: alice.address, amount: UInt256(10))]))
        func spend(_ input: PlasmaTransaction.Input, to: Address, _ amount: UInt64, by key: PrivateKey) throws -> PlasmaTransaction {
            var tx = try PlasmaTransaction(inputs: [input], outputs: [.init(owner: to, amount: UInt256(amount))])
            try tx.sign(input: 0, with: key)
            return tx
        }
        let deposit = PlasmaTransaction.Input(blockNumber: 1, txIndex: 0, outputIndex: 0)
        let good = try spend(deposit, to: bob.address, 10, by: alice)
        let first = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: [good])
        XCTAssertNil(ledger.audit(first))
        ledger.apply(first)
        XCTAssertEqual(ledger.spender(of: 1_000_000_000), .init(block: 1000, index: 0))

        let mine = PlasmaTransaction.Input(blockNumber: 1000, txIndex: 0, outputIndex: 0)
        func audit(_ txs: [PlasmaTransaction]) throws -> ChildChainLedger.Finding? {
            ledger.audit(try ChildBlock(number: 2000, previousHeaderHash: first.headerHash, transactions: txs))
        }
        XCTAssertEqual(try audit([try spend(mine, to: alice.address, 10, by: alice)]), .invalid(index: 0, .wrongSigner(input: 0)))
        XCTAssertEqual(try audit([try spend(mine, to: alice.address, 11, by: bob)]), .invalid(index: 0, .unbalanced))
        XCTAssertEqual(try audit([try spend(.init(blockNumber: 1000, txIndex: 5, outputIndex: 0), to: alice.address, 1, by: bob)]),
                       .invalid(index: 0, .spendsMissingOutput(input: 0)))
        XCTAssertEqual(try audit([try spend(.init(blockNumber: 2000, txIndex: 0, outputIndex: 0), to: alice.address, 1, by: bob)]),
                       .invalid(index: 0, .spendsLaterOutput(input: 0)))
        XCTAssertEqual(try audit([.deposit(owner: bob.address, amount: UInt256(5))]), .invalid(index: 0, .createsValue))
        XCTAssertEqual(try audit([try spend(deposit, to: alice.address, 10, by: alice)]), .doubleSpend(index: 0, earlier: .init(block: 1000, index: 0)))
        let twice = try spend(mine, to: alice.address, 10, by: bob)
        XCTAssertEqual(try audit([twice, try spend(mine, to: bob.address, 10, by: bob)]), .doubleSpend(index: 1, earlier: .init(block: 2000, index: 0)))
        XCTAssertNil(try audit([twice]))
    }

}

/// One result per index, written from many threads.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.withLock { slots[i] } }
        set { lock.withLock { slots[i] = newValue } }
    }
    var values: [T?] { lock.withLock { slots } }
}

private extension Result {
    var failureValue: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
