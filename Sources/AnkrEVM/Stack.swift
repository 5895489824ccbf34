import AnkrPrimitives

/// A frame's operand stack storage: 1,024 words in one allocation, lent to one frame at a time by the ``EVM``.
///
/// The frame keeps the count and reads and writes through ``base`` without per-access checks: the interpreter
/// checks underflow and overflow once per instruction from ``Frame/limits``, before the instruction touches a word.
final class Stack {
    static let limit = 1024
    let base: UnsafeMutablePointer<UInt256>

    init() { base = .allocate(capacity: Self.limit) }
    deinit { base.deallocate() }  // UInt256 is trivial: nothing to deinitialize
}
