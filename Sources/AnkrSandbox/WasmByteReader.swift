/// A bounds-checked cursor over WebAssembly binary bytes for ``ModuleAdmission``: every read
/// either stays inside `end` or throws, so hostile bytes (truncated, over-long LEB128, lengths
/// past the end) give a ``WorkError`` and never a trap.
struct WasmByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// Reads never go past this index (the end of the module, or of the section being read).
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var isAtEnd: Bool { offset >= end }
    var remaining: Int { max(0, end - offset) }

    mutating func byte() throws(WorkError) -> UInt8 {
        guard offset < end else { throw .truncatedModule(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// An unsigned LEB128 of at most 32 bits: at most 5 bytes, and the fifth carries only 4 bits.
    mutating func u32() throws(WorkError) -> UInt32 {
        let start = offset
        var result: UInt32 = 0
        for index in 0..<5 {
            let b = try byte()
            let payload = UInt32(b & 0x7f)
            if index == 4 {
                guard b & 0xf0 == 0 else { throw .oversizedInteger(offset: start) }
            }
            result |= payload << UInt32(7 * index)
            if b & 0x80 == 0 { return result }
        }
        throw .oversizedInteger(offset: start)
    }

    /// Moves past `count` bytes, which must lie before `end`.
    mutating func skip(_ count: Int) throws(WorkError) {
        guard count >= 0, count <= remaining else { throw .truncatedModule(offset: offset) }
        offset += count
    }

    /// A vector's length, which cannot exceed the bytes left (every entry takes at least one).
    mutating func count() throws(WorkError) -> Int {
        let at = offset
        let n = Int(try u32())
        guard n <= remaining else { throw .countExceedsSection(count: UInt64(n), offset: at) }
        return n
    }
}
