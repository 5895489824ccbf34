import AnkrChain
import AnkrPrimitives

/// The root contract's exit queue: a binary min-heap of exit priorities kept in contract storage,
/// with each priority's heap position stored too, so an exit can be removed from any position
/// (a successful challenge) in O(log n) writes, not only popped from the top.
///
/// Priorities are unique (they embed the UTXO position). Layout under `base`: the size at
/// `keccak(base, 0)`, the 1-based heap at `keccak(base, 1) + i`, and the position of a priority at
/// `keccak(base, 2, priority)` (0 when absent).
public struct ExitQueue {
    public let base: UInt256

    public init(base: UInt256) { self.base = base }

    private var sizeSlot: UInt256 { SystemStorage.slot(base, .zero) }
    private func heapSlot(_ i: UInt64) -> UInt256 { SystemStorage.slot(base, .one) &+ UInt256(i) }
    private func positionSlot(_ p: UInt256) -> UInt256 { SystemStorage.slot(base, UInt256(2), p) }

    public func count(_ s: inout SystemStorage) throws -> UInt64 { try s.word(sizeSlot).uint64 ?? 0 }

    /// The smallest priority, or nil when empty.
    public func peek(_ s: inout SystemStorage) throws -> UInt256? {
        try count(&s) == 0 ? nil : try s.word(heapSlot(1))
    }

    /// Up to `limit` queued priorities, in heap order (not sorted).
    public func items(limit: UInt64, _ s: inout SystemStorage) throws -> [UInt256] {
        let n = min(try count(&s), limit)
        return n == 0 ? [] : try (1...n).map { try s.word(heapSlot($0)) }
    }

    public func contains(_ priority: UInt256, _ s: inout SystemStorage) throws -> Bool {
        !(try s.word(positionSlot(priority))).isZero
    }

    public func insert(_ priority: UInt256, _ s: inout SystemStorage) throws {
        guard try !contains(priority, &s) else { throw SystemCallError.reverted("exit priority \(priority) is already queued", gasUsed: s.gasUsed) }
        let n = try count(&s) + 1
        try s.setWord(sizeSlot, UInt256(n))
        try place(priority, at: n, &s)
        try siftUp(n, &s)
    }

    /// Removes and returns the smallest priority.
    public func pop(_ s: inout SystemStorage) throws -> UInt256? {
        guard let top = try peek(&s) else { return nil }
        try remove(top, &s)
        return top
    }

    /// Removes `priority` wherever it sits; false when it is not queued.
    @discardableResult
    public func remove(_ priority: UInt256, _ s: inout SystemStorage) throws -> Bool {
        guard let i = try s.word(positionSlot(priority)).uint64, i > 0 else { return false }
        let n = try count(&s)
        let last = try s.word(heapSlot(n))
        try s.setWord(heapSlot(n), .zero)
        try s.setWord(positionSlot(priority), .zero)
        try s.setWord(sizeSlot, UInt256(n - 1))
        guard i != n else { return true }
        // The last element fills the hole, then moves whichever way restores the order.
        try place(last, at: i, &s)
        if i > 1, try s.word(heapSlot(i / 2)) > last { try siftUp(i, &s) } else { try siftDown(i, &s) }
        return true
    }

    private func place(_ priority: UInt256, at i: UInt64, _ s: inout SystemStorage) throws {
        try s.setWord(heapSlot(i), priority)
        try s.setWord(positionSlot(priority), UInt256(i))
    }

    private func siftUp(_ start: UInt64, _ s: inout SystemStorage) throws {
        var i = start
        let item = try s.word(heapSlot(i))
        while i > 1 {
            let parent = try s.word(heapSlot(i / 2))
            guard parent > item else { break }
            try place(parent, at: i, &s)
            i /= 2
        }
        try place(item, at: i, &s)
    }

    private func siftDown(_ start: UInt64, _ s: inout SystemStorage) throws {
        let n = try count(&s)
        var i = start
        let item = try s.word(heapSlot(i))
        while 2 * i <= n {
            var child = 2 * i
            var smallest = try s.word(heapSlot(child))
            if child + 1 <= n {
                let right = try s.word(heapSlot(child + 1))
                if right < smallest { child += 1; smallest = right }
            }
            guard smallest < item else { break }
            try place(smallest, at: i, &s)
            i = child
        }
        try place(item, at: i, &s)
    }
}
