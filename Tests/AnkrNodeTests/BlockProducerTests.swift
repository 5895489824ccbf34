import AnkrChain
import AnkrCrypto
@testable import AnkrNode
import AnkrPrimitives
import AnkrStorage
import Foundation
import Logging
import XCTest

/// The producer follows the pool, whichever door a transaction came by, and each block it makes is
/// executed once; the pool follows the chain's new heads.
final class BlockProducerTests: XCTestCase {
    func testTransactionsFromAnyDoorAreMinedAndEachProducedBlockIsExecutedOnce() throws {
        let alice = PrivateKey.random()
        let genesis = Genesis(chainID: 7331, difficulty: .one, timestamp: 1,
                              alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))])
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        let pool = Mempool(chainID: 7331)
        pool.follow(chain)
        let producer = BlockProducer(chain: chain, mempool: pool, coinbase: .zero, period: 0,
                                     logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        producer.start()
        defer { producer.stop() }
        let bob = PrivateKey.random().address
        for (nonce, origin) in [(0, TransactionOrigin.local), (1, .peer), (2, .peer)] {
            let tx = try Transaction.dynamicFee(chainID: 7331, nonce: UInt64(nonce), maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                                gasLimit: 21_000, to: bob, value: .one).signed(with: alice)
            let head = chain.head
            try pool.add(tx, state: chain.state(at: head), head: head, origin: origin)
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try? chain.state(at: chain.head).account(bob))??.balance != UInt256(3) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(try chain.state(at: chain.head).account(bob)?.balance, UInt256(3), "a peer's transactions wake the producer too")
        XCTAssertEqual(pool.count, 0, "the pool followed the new heads")
        XCTAssertGreaterThan(chain.head.number, 0)
        XCTAssertEqual(chain.executedBlocks, chain.head.number, "every produced block was executed exactly once")
    }
    /// A held producer (an application chain's operator not yet caught up with the main chain's commitments) makes
    /// nothing, whatever the pool holds; released, it makes the block due at once.
    func testAHeldProducerMakesNoBlockUntilReleased() throws {
        let alice = PrivateKey.random()
        let genesis = Genesis(chainID: 7331, difficulty: .one, timestamp: 1,
                              alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))])
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        let pool = Mempool(chainID: 7331)
        pool.follow(chain)
        let producer = BlockProducer(chain: chain, mempool: pool, coinbase: .zero, period: 0,
                                     logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        producer.holding = true
        producer.start()
        defer { producer.stop() }
        let tx = try Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                            gasLimit: 21_000, to: PrivateKey.random().address, value: .one).signed(with: alice)
        try pool.add(tx, state: chain.state(at: chain.head), head: chain.head)
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(chain.head.number, 0, "held: no block")
        producer.holding = false
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, chain.head.number == 0 { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(chain.head.number, 1, "released: the block that was due")
    }
}

/// A chain's own check of built blocks (an application chain's witness bound): blocks it refuses are built again
/// smaller, a transaction it refuses alone leaves the pool, and nothing starves behind it.
final class BlockProducerCheckTests: XCTestCase {
    private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func transfer(_ key: PrivateKey, nonce: UInt64, to: Address, value: UInt64, data: [UInt8] = []) throws -> Transaction {
        try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                   gasLimit: 100_000, to: to, value: UInt256(value), data: data).signed(with: key)
    }

    private func waitFor(_ what: String, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !condition() { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(condition(), what)
    }

    func testRefusedBlocksAreBuiltSmallerAndATransactionRefusedAloneLeavesThePool() throws {
        let alice = PrivateKey.random(), carol = PrivateKey.random()
        let coin = UInt256(1_000_000_000_000_000_000)
        let chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, difficulty: .one, timestamp: 1,
                                                                               alloc: [alice.address: .init(balance: coin), carol.address: .init(balance: coin)]))
        let pool = Mempool(chainID: 7331)
        pool.follow(chain)
        let producer = BlockProducer(chain: chain, mempool: pool, coinbase: .zero, period: 0, producesEmptyBlocks: false, logger: quiet)
        let checked = Counter()
        // At most two transactions a block, and never one paying 7 wei (the stand-in for a block too large to dispute).
        producer.blockCheck = { block, parent in
            checked.add()
            return block.header.parentHash == parent.hash && block.transactions.count <= 2 && !block.transactions.contains { $0.value == UInt256(7) }
        }
        let bob = PrivateKey.random().address
        // Carol's poison pays the highest tip, so every block is built with it first.
        let poison = try Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: UInt256(1_000_000_000), maxFeePerGas: UInt256(10_000_000_000),
                                                gasLimit: 100_000, to: bob, value: UInt256(7)).signed(with: carol)
        let txs = try (0..<5).map { try transfer(alice, nonce: $0, to: bob, value: 1) } + [poison, try transfer(carol, nonce: 1, to: bob, value: 100)]
        for tx in txs { try pool.add(tx, state: chain.state(at: chain.head), head: chain.head) }
        // One round, by hand: the poison is dropped and the same round still makes a block of alice's transfers.
        producer.produce()
        let first = try XCTUnwrap(chain.block(hash: try XCTUnwrap(chain.header(number: 1)).hash))
        XCTAssertEqual(first.transactions.count, 2)
        XCTAssertTrue(first.transactions.allSatisfy { $0.value == .one }, "alice's, not carol's")
        XCTAssertThrowsError(try pool.add(poison, state: chain.state(at: chain.head), head: chain.head)) {
            XCTAssertEqual($0 as? MempoolError, .unincludable, "a dropped transaction sent again is refused at the door")
        }
        // The producer goes on by itself for what did not fit (an on-demand producer has no timer).
        waitFor("alice's five transfers arrive") { (try? chain.state(at: chain.head).account(bob))??.balance == UInt256(5) && pool.count == 0 }
        XCTAssertEqual(try chain.state(at: chain.head).account(carol.address)?.nonce ?? 0, 0, "carol's refused transfer and the one after it left the pool")
        var header = chain.head
        while header.number > 0 {
            let block = try XCTUnwrap(chain.block(hash: header.hash))
            XCTAssertLessThanOrEqual(block.transactions.count, 2, "every sealed block passed the check")
            XCTAssertFalse(block.transactions.isEmpty, "no empty blocks")
            header = try XCTUnwrap(chain.header(hash: header.parentHash))
        }
        XCTAssertGreaterThan(checked.value, 0)
    }

    func testATransactionLargerThanAnyBlockLeavesThePoolWithoutAnEmptyBlock() throws {
        let alice = PrivateKey.random()
        let chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, difficulty: .one, timestamp: 1,
                                                                               alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]))
        let pool = Mempool(chainID: 7331)
        pool.follow(chain)
        let producer = BlockProducer(chain: chain, mempool: pool, coinbase: .zero, period: 0, producesEmptyBlocks: false, logger: quiet)
        producer.maxTransactionBytes = 300
        producer.start()
        defer { producer.stop() }
        let big = try transfer(alice, nonce: 0, to: .zero, value: 1, data: [UInt8](repeating: 1, count: 400))
        try pool.add(big, state: chain.state(at: chain.head), head: chain.head)
        waitFor("the oversized transaction is dropped") { pool.count == 0 }
        XCTAssertEqual(chain.head.number, 0, "no block was made of nothing")
        let small = try transfer(alice, nonce: 0, to: .zero, value: 1)
        try pool.add(small, state: chain.state(at: chain.head), head: chain.head)
        waitFor("the next transaction from the same sender is mined") { chain.head.number == 1 }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}
