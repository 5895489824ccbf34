import AnkrPrimitives
import Foundation

/// A bounded, thread-safe map of trie nodes. When full it forgets the oldest insertions first;
/// content-addressed entries never need invalidation.
final class NodeCache: @unchecked Sendable {
    private let capacity: Int
    private var entries: [H256: [UInt8]] = [:]
    private var order: [H256] = []
    private var head = 0
    private let lock = NSLock()

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity)
    }

    subscript(hash: H256) -> [UInt8]? { lock.withLock { entries[hash] } }

    func insert(_ nodes: [H256: [UInt8]]) {
        lock.withLock {
            for (h, n) in nodes where entries.updateValue(n, forKey: h) == nil {
                if order.count < capacity {
                    order.append(h)
                } else {
                    // Ring buffer: overwrite the oldest slot.
                    entries[order[head]] = nil
                    order[head] = h
                    head = (head + 1) % capacity
                }
            }
        }
    }
}
