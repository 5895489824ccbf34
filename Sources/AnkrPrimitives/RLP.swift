/// Recursive Length Prefix, Ethereum's serialization. The decoder is strict: it accepts only the
/// one canonical encoding of each value, so `encode(decode(x)) == x` for every accepted `x`.
public enum RLP {
    /// Lists nested deeper than this are rejected so hostile input cannot exhaust the stack.
    public static let maxDepth = 128

    // MARK: Encoding

    public static func encode(_ item: RLPItem) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(encodedLength(item))
        append(item, to: &out)
        return out
    }

    /// Encodes a list from already-encoded items.
    public static func encodeList(encodedItems: [[UInt8]]) -> [UInt8] {
        let total = encodedItems.reduce(0) { $0 + $1.count }
        var out = [UInt8]()
        out.reserveCapacity(headerLength(total) + total)
        appendHeader(total, offset: 0xc0, to: &out)
        for e in encodedItems { out.append(contentsOf: e) }
        return out
    }

    /// Appends `item`'s encoding. A list's header is written before its items, from their lengths
    /// computed first, so no item is encoded into a temporary and copied.
    public static func append(_ item: RLPItem, to out: inout [UInt8]) {
        switch item {
        case .bytes(let b):
            if b.count == 1 && b[0] < 0x80 {
                out.append(b[0])
            } else {
                appendHeader(b.count, offset: 0x80, to: &out)
                out.append(contentsOf: b)
            }
        case .list(let items):
            appendHeader(payloadLength(items), offset: 0xc0, to: &out)
            for i in items { append(i, to: &out) }
        }
    }

    /// The length of `item`'s encoding. Cost grows with the number of items times their nesting
    /// depth, which decoding bounds by ``maxDepth``.
    public static func encodedLength(_ item: RLPItem) -> Int {
        switch item {
        case .bytes(let b):
            return b.count == 1 && b[0] < 0x80 ? 1 : headerLength(b.count) + b.count
        case .list(let items):
            let payload = payloadLength(items)
            return headerLength(payload) + payload
        }
    }

    private static func payloadLength(_ items: [RLPItem]) -> Int {
        var total = 0
        for i in items { total += encodedLength(i) }
        return total
    }

    /// Bytes of the header for a payload of `length` bytes.
    static func headerLength(_ length: Int) -> Int {
        length < 56 ? 1 : 1 + (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
    }

    static func appendHeader(_ length: Int, offset: UInt8, to out: inout [UInt8]) {
        if length < 56 {
            out.append(offset + UInt8(length))
            return
        }
        let n = (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
        out.append(offset + 55 + UInt8(n))
        for i in stride(from: n - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: length >> (i * 8))) }
    }

    // MARK: Decoding

    /// Decodes exactly one item that spans the whole input.
    public static func decode(_ bytes: [UInt8]) throws -> RLPItem {
        guard !bytes.isEmpty else { throw RLPError.emptyInput }
        var reader = Reader(bytes: bytes)
        let item = try reader.readItem(depth: 0)
        guard reader.position == bytes.count else { throw RLPError.trailingBytes(offset: reader.position) }
        return item
    }

    /// Decodes a list that spans the whole input and checks its item count.
    public static func decodeList(_ bytes: [UInt8], count: Int) throws -> [RLPItem] {
        let items = try decode(bytes).listValue()
        guard items.count == count else { throw RLPError.wrongItemCount(expected: count, actual: items.count) }
        return items
    }

    /// Where one item sits in an input: header start, payload range, and whether it is a list.
    struct Header {
        let isList: Bool
        let payloadStart: Int
        let payloadEnd: Int
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func readItem(depth: Int) throws -> RLPItem {
            let start = position
            let h = try readHeader()
            if !h.isList {
                position = h.payloadEnd
                return .bytes(Array(bytes[h.payloadStart..<h.payloadEnd]))
            }
            guard depth < RLP.maxDepth else { throw RLPError.tooDeep(offset: start, limit: RLP.maxDepth) }
            var items = [RLPItem]()
            while position < h.payloadEnd {
                let item = try readItem(depth: depth + 1)
                // A child's declared length may not run past its parent's payload.
                guard position <= h.payloadEnd else {
                    throw RLPError.truncated(offset: start, needed: position - h.payloadStart, available: h.payloadEnd - h.payloadStart)
                }
                items.append(item)
            }
            return .list(items)
        }

        mutating func readHeader() throws -> Header {
            let start = position
            let available = bytes.count - start
            guard available > 0 else { throw RLPError.truncated(offset: start, needed: 1, available: 0) }
            let prefix = bytes[start]
            switch prefix {
            case 0x00...0x7f:
                position = start + 1
                return Header(isList: false, payloadStart: start, payloadEnd: start + 1)
            case 0x80...0xb7:
                let len = Int(prefix - 0x80)
                guard available - 1 >= len else { throw RLPError.truncated(offset: start, needed: 1 + len, available: available) }
                if len == 1 && bytes[start + 1] < 0x80 { throw RLPError.singleByteWrapped(offset: start) }
                position = start + 1
                return Header(isList: false, payloadStart: start + 1, payloadEnd: start + 1 + len)
            case 0xb8...0xbf:
                return try longHeader(start: start, lengthOfLength: Int(prefix - 0xb7), isList: false)
            case 0xc0...0xf7:
                let len = Int(prefix - 0xc0)
                guard available - 1 >= len else { throw RLPError.truncated(offset: start, needed: 1 + len, available: available) }
                position = start + 1
                return Header(isList: true, payloadStart: start + 1, payloadEnd: start + 1 + len)
            default:
                return try longHeader(start: start, lengthOfLength: Int(prefix - 0xf7), isList: true)
            }
        }

        private mutating func longHeader(start: Int, lengthOfLength: Int, isList: Bool) throws -> Header {
            let available = bytes.count - start
            guard available - 1 >= lengthOfLength else {
                throw RLPError.truncated(offset: start, needed: 1 + lengthOfLength, available: available)
            }
            guard bytes[start + 1] != 0 else { throw RLPError.leadingZeroInLength(offset: start) }
            // Eight length bytes could describe more than memory can hold; the input bounds it anyway.
            guard lengthOfLength <= 7 else { throw RLPError.lengthTooLarge(offset: start) }
            var len = 0
            for i in 0..<lengthOfLength { len = len << 8 | Int(bytes[start + 1 + i]) }
            guard len >= 56 else { throw RLPError.longFormForShortPayload(offset: start) }
            let headerSize = 1 + lengthOfLength
            guard available - headerSize >= len else {
                throw RLPError.truncated(offset: start, needed: headerSize + len, available: available)
            }
            position = start + headerSize
            return Header(isList: isList, payloadStart: start + headerSize, payloadEnd: start + headerSize + len)
        }
    }
}
