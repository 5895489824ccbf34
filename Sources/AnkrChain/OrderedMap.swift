import Dispatch
import Foundation

/// Maps an array on the other cores while the caller consumes the results in order. Workers claim
/// items front to back; ``result(_:)`` returns item `i`'s result once it is computed, and computes
/// it on the calling thread when nobody has claimed it yet, so the caller never waits while a core
/// could work. Suits a pipeline whose first stage is parallel (decoding, signature recovery) and
/// whose second must run in order (checks against shared state): the two overlap.
public final class OrderedMap<T: Sendable, R: Sendable>: @unchecked Sendable {
    private let items: [T]
    private let transform: @Sendable (T) -> R
    /// Guards the fields below; signalled when a result lands.
    private let ready = NSCondition()
    private var results: [R?]
    private var claimed: [Bool]
    /// Where workers look for the next item to claim.
    private var next = 0
    private var cancelled = false

    /// Starts up to `workers` pool threads (none for fewer than two items; by default one fewer than the cores,
    /// the caller being the last).
    public init(_ items: [T], workers: Int? = nil, _ transform: @escaping @Sendable (T) -> R) {
        self.items = items
        self.transform = transform
        results = Array(repeating: nil, count: items.count)
        claimed = Array(repeating: false, count: items.count)
        let threads = items.count > 1 ? min(max(0, workers ?? ProcessInfoCores.count - 1), items.count - 1) : 0
        for _ in 0..<threads {
            // The closure keeps `self` alive until the worker runs out of items.
            DispatchQueue.global(qos: .userInitiated).async { self.work() }
        }
    }

    /// Item `i`'s result (`i` must be a valid index). While a worker computes it, the calling
    /// thread computes the next item nobody claimed, and waits only when there is none.
    public func result(_ i: Int) -> R {
        ready.lock()
        defer { ready.unlock() }
        while true {
            if let r = results[i] { return r }
            guard let mine = claimed[i] ? claimNext() : i else {
                ready.wait()
                continue
            }
            compute(mine)
        }
    }

    /// Claims item `i` and computes it outside the lock; called and returns with `ready` held.
    private func compute(_ i: Int) {
        claimed[i] = true
        ready.unlock()
        let r = transform(items[i])
        ready.lock()
        results[i] = r
        ready.broadcast()
    }

    /// The first item nobody claimed, advancing `next` past claimed ones; call under `ready`.
    private func claimNext() -> Int? {
        while next < items.count, claimed[next] { next += 1 }
        return next < items.count ? next : nil
    }

    /// Workers stop claiming items (the caller computes any it still asks for).
    public func cancel() { ready.withLock { cancelled = true } }

    private func work() {
        ready.lock()
        while !cancelled, let i = claimNext() { compute(i) }
        ready.unlock()
    }
}
