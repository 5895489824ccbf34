/// A contract's code made ready to run, built once per code and cached by the ``EVM`` for the transaction.
///
/// The bytes are copied into a buffer followed by ``padding`` zeros, so the interpreter reads the next opcode and
/// PUSH data without comparing against the end: a PUSH32 in the last byte still reads inside the buffer, and the
/// zero after the code is STOP, which is how the EVM treats running off the end. Valid JUMPDEST offsets (0x5b
/// outside PUSH data) are one bit each.
final class CodeAnalysis {
    /// The code as the account holds it (CODECOPY and CODESIZE read it). Holding it also keeps its buffer alive,
    /// which is what makes the buffer's address a sound cache key (see ``EVM/analysis(of:)``).
    let code: [UInt8]
    /// `code.count`.
    let count: Int
    /// `count + padding` bytes: the code, then zeros.
    let bytes: UnsafeMutablePointer<UInt8>
    /// Bit `i % 64` of word `i / 64` is set when offset `i` is a JUMPDEST.
    private let jumpdests: UnsafeMutablePointer<UInt64>

    /// 32 bytes of PUSH32 data past the last opcode, then the STOP after them.
    static let padding = 33

    init(_ code: [UInt8]) {
        self.code = code
        let count = code.count
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: count + Self.padding)
        code.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { bytes.initialize(from: base, count: source.count) }
        }
        (bytes + count).initialize(repeating: 0, count: Self.padding)
        let words = count / 64 + 1
        let jumpdests = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        jumpdests.initialize(repeating: 0, count: words)
        var i = 0
        while i < count {
            let op = bytes[i]
            if op == 0x5b { jumpdests[i >> 6] |= 1 << UInt64(i & 63) }
            i += (op >= 0x60 && op <= 0x7f) ? Int(op - 0x5f) + 1 : 1
        }
        self.count = count
        self.bytes = bytes
        self.jumpdests = jumpdests
    }

    deinit {
        bytes.deallocate()  // UInt8 and UInt64 are trivial: nothing to deinitialize
        jumpdests.deallocate()
    }

    /// Whether `offset` is a JUMPDEST of this code (false past its end).
    @inline(__always) func isJumpdest(_ offset: UInt64) -> Bool {
        guard offset < UInt64(count) else { return false }
        // offset < count, so offset / 64 < count / 64 + 1 words: in bounds.
        return jumpdests[Int(offset >> 6)] >> (offset & 63) & 1 == 1
    }
}
