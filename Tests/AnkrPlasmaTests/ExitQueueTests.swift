import AnkrChain
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import XCTest

final class ExitQueueTests: XCTestCase {
    func testPopsInPriorityOrderAndRemovesFromAnyPositionLikeASortedList() throws {
        let state = WorldState()
        var storage = SystemStorage(state: state, address: try Address(hex: "0x00000000000000000000000000000000000b0001"), gasLimit: .max)
        let queue = ExitQueue(base: UInt256(7))
        var reference = [UInt256]()
        var rng = SplitMix64(seed: 11)
        for step in 0..<3_000 {
            switch rng.next() % 5 {
            case 0, 1:
                let p = UInt256(rng.next() % 100_000)
                if reference.contains(p) {
                    XCTAssertThrowsError(try queue.insert(p, &storage), "duplicate priority at step \(step)")
                } else {
                    try queue.insert(p, &storage)
                    reference.append(p)
                }
            case 2:
                XCTAssertEqual(try queue.pop(&storage), reference.min(), "pop at step \(step)")
                if let m = reference.min() { reference.removeAll { $0 == m } }
            case 3:
                // A challenge removes an exit from the middle of the queue.
                guard let victim = reference.randomElement(using: &rng) else { continue }
                XCTAssertTrue(try queue.remove(victim, &storage))
                reference.removeAll { $0 == victim }
                XCTAssertFalse(try queue.remove(victim, &storage), "removing twice")
            default:
                XCTAssertEqual(try queue.peek(&storage), reference.min())
            }
            XCTAssertEqual(try queue.count(&storage), UInt64(reference.count))
        }
        var drained = [UInt256]()
        while let p = try queue.pop(&storage) { drained.append(p) }
        XCTAssertEqual(drained, reference.sorted())
        XCTAssertNil(try queue.peek(&storage))
    }

    func testOperationsAreChargedGas() throws {
        var storage = SystemStorage(state: WorldState(), address: try Address(hex: "0x00000000000000000000000000000000000b0001"), gasLimit: 100_000)
        let queue = ExitQueue(base: .one)
        try queue.insert(UInt256(5), &storage)
        XCTAssertGreaterThan(storage.gasUsed, 60_000, "three new storage words")
        XCTAssertThrowsError(try queue.insert(UInt256(4), &storage)) { XCTAssertEqual($0 as? SystemCallError, .outOfGas) }
    }
}
