import AnkrPrimitives

/// A frame's operand stack: its 1,024 words in one allocation, so a push or a pop is a bounds check
/// and a move (an array would also check uniqueness and capacity on every operation).
final class Stack {
    static let limit = 1024
    private let base: UnsafeMutablePointer<UInt256>
    private(set) var count = 0

    init() { base = .allocate(capacity: Self.limit) }
    deinit { base.deallocate() }  // UInt256 is trivial: nothing to deinitialize

    /// False when full (the caller's stack overflow).
    @inline(__always) func push(_ v: UInt256) -> Bool {
        guard count < Self.limit else { return false }
        (base + count).initialize(to: v)
        count += 1
        return true
    }

    /// nil when empty (the caller's stack underflow).
    @inline(__always) func pop() -> UInt256? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    /// The `n`-th word from the top (1 is the top); the caller checks `n ≤ count`.
    @inline(__always) func peek(_ n: Int) -> UInt256 { base[count - n] }

    /// Swaps the top with the word `n` below it; the caller checks `n < count`.
    @inline(__always) func swapTop(with n: Int) {
        let top = base[count - 1]
        base[count - 1] = base[count - 1 - n]
        base[count - 1 - n] = top
    }
}
