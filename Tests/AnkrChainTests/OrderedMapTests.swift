import AnkrChain
import Foundation
import XCTest

/// Results in order, each item computed once, whoever computes it.
final class OrderedMapTests: XCTestCase {
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var calls = [Int: Int]()
        func hit(_ i: Int) { lock.withLock { calls[i, default: 0] += 1 } }
        var counts: [Int: Int] { lock.withLock { calls } }
    }

    func testResultsComeInOrderAndEachItemIsComputedOnce() {
        for workers in [0, 1, 3] {
            let counter = Counter()
            let items = Array(0..<2_000)
            let map = OrderedMap(items, workers: workers) { i -> Int in
                counter.hit(i)
                return i &* 7 &+ 1
            }
            XCTAssertEqual(items.map { map.result($0) }, items.map { $0 * 7 + 1 }, "workers \(workers)")
            // Asking again returns the stored result.
            XCTAssertEqual(map.result(1_999), 1_999 * 7 + 1)
            map.cancel()
            XCTAssertEqual(counter.counts.count, items.count)
            XCTAssertTrue(counter.counts.values.allSatisfy { $0 == 1 }, "workers \(workers)")
        }
    }

    func testCancelledWorkersLeaveTheRestToTheCaller() {
        let map = OrderedMap(Array(0..<500), workers: 2) { $0 + 1 }
        map.cancel()
        XCTAssertEqual((0..<500).reversed().map { map.result($0) }, (1...500).reversed().map { $0 })
        let empty = OrderedMap([Int](), workers: 2) { $0 }
        empty.cancel()
    }
}
