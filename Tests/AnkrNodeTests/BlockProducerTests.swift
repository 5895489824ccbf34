import AnkrChain
import AnkrCrypto
import AnkrNode
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
}
