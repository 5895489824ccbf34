/// Reads a quote's little-endian fields front to back; every read is checked against the bytes left, so a
/// hostile length can only produce `DCAPError.quoteTruncated`, never a trap.
struct ByteReader {
    private let bytes: [UInt8]
    /// The offset of the next unread byte.
    private(set) var offset: Int
    /// One past the last byte this reader may consume (a nested container ends before the quote does).
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { end - offset }

    /// The next `count` bytes, or `quoteTruncated` naming `field`.
    mutating func read(_ count: Int, _ field: QuoteField) throws(DCAPError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw .quoteTruncated(field: field, offset: offset, needed: count, available: remaining)
        }
        let out = Array(bytes[offset..<offset + count])
        offset += count
        return out
    }

    mutating func readUInt16(_ field: QuoteField) throws(DCAPError) -> UInt16 {
        let b = try read(2, field)
        return UInt16(b[0]) | UInt16(b[1]) << 8
    }

    mutating func readUInt32(_ field: QuoteField) throws(DCAPError) -> UInt32 {
        let b = try read(4, field)
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    /// A reader over the next `count` bytes (a length-prefixed container), advancing past them.
    mutating func subReader(_ count: Int, _ field: QuoteField) throws(DCAPError) -> ByteReader {
        guard count >= 0, count <= remaining else {
            throw .quoteTruncated(field: field, offset: offset, needed: count, available: remaining)
        }
        let sub = ByteReader(bytes, from: offset, end: offset + count)
        offset += count
        return sub
    }
}
