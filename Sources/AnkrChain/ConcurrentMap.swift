import Dispatch

/// Maps an array on every core. Used where work items are independent and CPU-bound
/// (signature recovery), and small enough that threads beat tasks.
public enum ConcurrentMap {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], minimumPerThread: Int = 64, _ body: @Sendable (T) -> R) -> [R] {
        let threads = min(ProcessInfoCores.count, max(1, items.count / minimumPerThread))
        if threads <= 1 { return items.map(body) }
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let box = ResultBox(results)
        let chunk = (items.count + threads - 1) / threads
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let start = t * chunk
            let end = min(items.count, start + chunk)
            guard start < end else { return }
            for i in start..<end { box.buffer[i] = body(items[i]) }
        }
        // Every index was written by exactly one chunk.
        return results.map { $0! }
    }

    /// Each thread writes a disjoint range, so sharing the buffer is race-free.
    private final class ResultBox<R>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<R?>
        init(_ buffer: UnsafeMutableBufferPointer<R?>) { self.buffer = buffer }
    }
}

enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif
