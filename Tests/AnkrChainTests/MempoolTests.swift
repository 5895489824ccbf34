import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import XCTest

final class MempoolTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let carol = try! PrivateKey(hex: "0x" + String(repeating: "c1", count: 32))
    let bob = try! Address(hex: "0x" + String(repeating: "b0", count: 20))
    let ether = UInt256(1_000_000_000_000_000_000)

    func setup(_ config: Mempool.Configuration = Mempool.Configuration()) throws -> (Blockchain, Mempool) {
        let g = Genesis(chainID: 7331, alloc: [alice.address: .init(balance: ether), carol.address: .init(balance: ether)])
        return (try Blockchain(database: ChainDatabase(), genesis: g), Mempool(chainID: 7331, configuration: config))
    }

    func tx(_ key: PrivateKey, _ nonce: UInt64, tip: UInt64 = 1_000_000_000, cap: UInt64 = 5_000_000_000, value: UInt256 = .one,
            chainID: UInt64 = 7331) throws -> Transaction {
        try Transaction.dynamicFee(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: UInt256(tip), maxFeePerGas: UInt256(cap),
                                   gasLimit: 21_000, to: bob, value: value).signed(with: key)
    }

    func testAdmissionRejectsWithClearReasons() throws {
        let (chain, pool) = try setup()
        let state = chain.state(at: chain.head)
        let add = { (t: Transaction) in try pool.add(t, state: state, head: chain.head) }
        XCTAssertNoThrow(try add(try tx(alice, 0)))
        XCTAssertThrowsError(try add(try tx(alice, 0))) { XCTAssertEqual($0 as? MempoolError, .alreadyKnown) }
        XCTAssertThrowsError(try add(try tx(alice, 0, chainID: 1))) {
            XCTAssertEqual($0 as? MempoolError, .invalid(.wrongChainID(expected: 7331, actual: 1)))
        }
        XCTAssertThrowsError(try add(try tx(alice, 1, tip: 0, cap: 1))) { XCTAssertTrue("\($0)".contains("less than block base fee")) }
        XCTAssertThrowsError(try add(try tx(alice, 1, value: UInt256(2) &* ether))) { XCTAssertTrue("\($0)".contains("insufficient funds")) }
        XCTAssertThrowsError(try add(try tx(alice, 500))) { XCTAssertTrue("\($0)".contains("nonce too high")) }
        XCTAssertThrowsError(try add(try tx(alice, 0, tip: 1_050_000_000, cap: 5_250_000_000))) {
            XCTAssertEqual($0 as? MempoolError, .replacementUnderpriced(bumpPercent: 10))
        }
        XCTAssertNoThrow(try add(try tx(alice, 0, tip: 1_100_000_000, cap: 5_500_000_000)))
        XCTAssertEqual(pool.count, 1)
        var highS = try tx(alice, 1)
        highS.s = Signature.order &- highS.s
        highS.v = highS.v ^ .one
        XCTAssertThrowsError(try add(highS)) { XCTAssertEqual($0 as? MempoolError, .invalid(.invalidSignature(.highS))) }
    }

    func testPendingIsNonceOrderedPerSenderAndTipOrderedAcross() throws {
        let (chain, pool) = try setup()
        let state = chain.state(at: chain.head)
        for t in [try tx(alice, 1, tip: 9_000_000_000, cap: 20_000_000_000), try tx(alice, 0, tip: 1_000_000_000),
                  try tx(carol, 0, tip: 3_000_000_000), try tx(alice, 3)] {
            try pool.add(t, state: state, head: chain.head)
        }
        let pending = try pool.pending(state: state, baseFee: BaseFee.next(after: chain.head))
        // Carol pays the higher tip first; Alice's nonce 1 waits for her nonce 0; nonce 3 has a gap.
        XCTAssertEqual(pending.map { "\($0.1 == alice.address ? "a" : "c")\($0.0.nonce)" }, ["c0", "a0", "a1"])

        // After a block includes them, they leave the pool; the gapped one stays.
        let block = try chain.produceBlock(candidates: pending, coinbase: bob, timestamp: 1).block
        guard case .newHead(let orphaned) = try chain.importBlock(block) else { return XCTFail() }
        try pool.update(state: chain.state(at: chain.head), head: chain.head, orphaned: orphaned)
        XCTAssertEqual(pool.count, 1)
    }

    func testFullPoolEvictsTheCheapestOrRefuses() throws {
        var config = Mempool.Configuration()
        config.capacity = 2
        let (chain, pool) = try setup(config)
        let state = chain.state(at: chain.head)
        try pool.add(try tx(alice, 0, cap: 2_000_000_000), state: state, head: chain.head)
        try pool.add(try tx(carol, 0, cap: 3_000_000_000), state: state, head: chain.head)
        XCTAssertThrowsError(try pool.add(try tx(alice, 1, tip: 1, cap: 1_500_000_000), state: state, head: chain.head)) {
            XCTAssertEqual($0 as? MempoolError, .poolFull)
        }
        let rich = try tx(alice, 1, cap: 9_000_000_000)
        try pool.add(rich, state: state, head: chain.head)
        XCTAssertEqual(pool.count, 2)
        XCTAssertNotNil(pool.transaction(rich.hash))
    }

    /// An application chain's operator (the reserved sender) always gets in: a pool filled by strangers paying more
    /// gives way to its cheapest transaction, and strangers never evict the operator's.
    func testTheReservedSenderIsNeverLockedOutOfAFullPool() throws {
        var config = Mempool.Configuration()
        config.capacity = 2
        config.reservedSender = carol.address
        let (chain, pool) = try setup(config)
        let state = chain.state(at: chain.head)
        try pool.add(try tx(alice, 0, cap: 9_000_000_000), state: state, head: chain.head)
        try pool.add(try tx(alice, 1, cap: 9_000_000_000), state: state, head: chain.head)
        let relay = try tx(carol, 0, tip: 0, cap: 1_000_000_000)
        try pool.add(relay, state: state, head: chain.head)
        XCTAssertEqual(pool.count, 2)
        XCTAssertNotNil(pool.transaction(relay.hash))
        // A stranger paying fifty times more evicts a stranger's transaction (here its own), never the operator's.
        _ = try? pool.add(try tx(alice, 1, cap: 50_000_000_000), state: state, head: chain.head)
        XCTAssertNotNil(pool.transaction(relay.hash))
        try pool.add(try tx(carol, 1, tip: 0, cap: 1_000_000_000), state: state, head: chain.head)
        XCTAssertEqual(pool.all().filter { $0.1 == carol.address }.count, 2)
    }
}
