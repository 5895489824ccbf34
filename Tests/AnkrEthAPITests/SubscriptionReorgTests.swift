import AnkrChain
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrTestSupport
import XCTest

/// The chain follower across reorganizations: removed and added blocks, logs with `removed: true`
/// in geth's order (removed first, oldest block first), and the bound on how far it walks back.
final class SubscriptionReorgTests: XCTestCase {
    /// Collects the follower's events.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [ChainEvent] = []
        func record(_ e: ChainEvent) { lock.withLock { events.append(e) } }
        var all: [ChainEvent] { lock.withLock { events } }
    }

    func testReorganizationRemovesTheOldBranchLogsThenAddsTheNewOnes() throws {
        let t = try SubscriptionTestChain()
        let recorder = Recorder()
        t.events.feed.subscribe { recorder.record($0) }
        let logs = SubscriptionTestSession(1), heads = SubscriptionTestSession(2)
        _ = try t.result("eth_subscribe", #"["logs",{"address":"\#(t.counter.address)"}]"#, session: logs)
        _ = try t.result("eth_subscribe", #"["newHeads"]"#, session: heads)
        let genesis = t.chain.head
        let a1 = try t.extend([try t.increment(1, from: t.alice, nonce: 0)], coinbase: 0xa)
        let a2 = try t.extend([try t.increment(2, from: t.alice, nonce: 1), try t.increment(3, from: t.bob, nonce: 0)], coinbase: 0xa)
        XCTAssertEqual(logs.take().count, 3)
        _ = heads.take()

        // A heavier branch from genesis: three blocks against two.
        let b1 = try t.block(on: genesis, [try t.increment(10, from: t.bob, nonce: 0)], coinbase: 0xb)
        try t.chain.importBlock(b1)
        let b2 = try t.block(on: b1.header, coinbase: 0xb)
        try t.chain.importBlock(b2)
        let b3 = try t.block(on: b2.header, [try t.increment(20, from: t.alice, nonce: 0)], coinbase: 0xb)
        try t.chain.importBlock(b3)
        XCTAssertEqual(t.chain.head.hash, b3.hash)

        let sent = logs.take().map(\.result)
        // Removed first, oldest block first and in block order, then the new branch's logs.
        XCTAssertEqual(sent.map { $0["removed"] }, [true, true, true, false, false])
        XCTAssertEqual(sent.map { $0["blockHash"]?.string },
                       [a1.hash, a2.hash, a2.hash, b1.hash, b3.hash].map(\.description))
        XCTAssertEqual(sent.map { $0["logIndex"] }, ["0x0", "0x0", "0x1", "0x0", "0x0"])
        XCTAssertEqual(sent[0]["transactionHash"]?.string, a1.transactions[0].hash.description)
        // newHeads shows the heads the chain moved to (geth sends only the block that became the head).
        XCTAssertEqual(heads.take().last?.result["hash"]?.string, b3.hash.description)

        let reorg = try XCTUnwrap(recorder.all.last)
        XCTAssertEqual(reorg.head.hash, b3.hash)
        XCTAssertFalse(reorg.truncated)
        let removedHashes = recorder.all.flatMap(\.removed).map(\.hash)
        XCTAssertEqual(Set(removedHashes), [a1.hash, a2.hash])
        XCTAssertEqual(recorder.all.flatMap(\.added).map(\.hash).suffix(3), [b1.hash, b2.hash, b3.hash])
    }

    func testAReorganizationToAShorterHeavierBranchIsWalkedToTheAncestor() throws {
        let t = try SubscriptionTestChain()
        let recorder = Recorder()
        t.events.feed.subscribe { recorder.record($0) }
        let base = try t.extend()
        let a2 = try t.extend(coinbase: 0xa)
        let a3 = try t.extend(coinbase: 0xa)
        // A follower that last saw a3 moves to a block on a sibling of a2.
        let b2 = try t.block(on: base.header, coinbase: 0xb)
        try t.chain.importBlock(b2)
        let event = t.events.event(from: a3.header, to: b2)
        XCTAssertEqual(event.removed.map(\.hash), [a2.hash, a3.hash])
        XCTAssertEqual(event.added.map(\.hash), [b2.hash])
        XCTAssertFalse(event.truncated)
    }

    func testTheWalkBackStopsAtItsBound() throws {
        let t = try SubscriptionTestChain(maxReorgDepth: 2)
        let genesis = t.chain.head
        for _ in 0..<4 { try t.extend(coinbase: 0xa) }
        let oldHead = t.chain.head
        var tip = genesis
        var branch = [Block]()
        for _ in 0..<5 {
            let b = try t.block(on: tip, coinbase: 0xb)
            try t.chain.importBlock(b)
            branch.append(b)
            tip = b.header
        }
        let event = t.events.event(from: oldHead, to: try XCTUnwrap(branch.last))
        XCTAssertTrue(event.truncated)
        XCTAssertLessThanOrEqual(event.removed.count, 2)
        XCTAssertLessThanOrEqual(event.added.count, 2)
        XCTAssertEqual(event.head.hash, branch.last?.hash)
    }

    func testAnEventCarriesAtMostItsBoundOfLogs() throws {
        let t = try SubscriptionTestChain(maxEventLogs: 3)
        let recorder = Recorder()
        t.events.feed.subscribe { recorder.record($0) }
        let genesis = t.chain.head
        try t.extend([try t.increment(1, from: t.alice, nonce: 0), try t.increment(1, from: t.bob, nonce: 0)], coinbase: 0xa)
        try t.extend([try t.increment(1, from: t.alice, nonce: 1)], coinbase: 0xa)
        XCTAssertEqual(recorder.all.map(\.logs.count), [2, 1])
        XCTAssertEqual(recorder.all.map(\.truncated), [false, false])
        // Three removed logs and two added ones: the event keeps the first three, in order.
        let b1 = try t.block(on: genesis, [try t.increment(1, from: t.alice, nonce: 0)], coinbase: 0xb)
        try t.chain.importBlock(b1)
        let b2 = try t.block(on: b1.header, [try t.increment(1, from: t.alice, nonce: 1)], coinbase: 0xb)
        try t.chain.importBlock(b2)
        let b3 = try t.block(on: b2.header, coinbase: 0xb)
        try t.chain.importBlock(b3)
        let reorg = try XCTUnwrap(recorder.all.first { !$0.removed.isEmpty })
        XCTAssertEqual(reorg.logs.count, 3)
        XCTAssertEqual(reorg.logs.map(\.removed), [true, true, true])
        XCTAssertTrue(reorg.truncated)
    }

    func testAHeadWhoseAncestorsAreMissingIsStillReported() throws {
        let t = try SubscriptionTestChain()
        let stored = try t.extend()
        // A block on a parent the store never saw: the walk cannot reach the ancestor.
        var detached = try t.block(on: stored.header)
        detached.header.parentHash = Keccak256.h256([1])
        let event = t.events.event(from: stored.header, to: detached)
        XCTAssertEqual(event.added.map(\.hash), [detached.hash])
        XCTAssertTrue(event.truncated)
        XCTAssertTrue(event.logs.isEmpty)
    }
}
