/// The Solidity contract ABI: argument encoding, strict decoding, selectors and event topics.
public enum ABI {
    // MARK: Signatures

    /// The 4-byte function selector of a signature such as `transfer(address,uint256)`.
    public static func selector(_ signature: String) throws -> [UInt8] {
        let (name, types) = try parseSignature(signature)
        return Array(Keccak256.hash(Array(canonicalSignature(name, types).utf8)).prefix(4))
    }

    /// The topic0 of an event signature such as `Transfer(address,address,uint256)`.
    public static func eventTopic(_ signature: String) throws -> H256 {
        let (name, types) = try parseSignature(signature)
        return Keccak256.h256(Array(canonicalSignature(name, types).utf8))
    }

    /// Splits `name(type,…)` into its name and parameter types (aliases such as `uint` resolved).
    public static func parseSignature(_ signature: String) throws -> (name: String, types: [ABIType]) {
        let s = signature.trimmingSpaces
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else { throw ABIError.invalidSignature(signature) }
        let name = String(s[..<open])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }),
              !(name.first?.isNumber ?? true)
        else { throw ABIError.invalidSignature(signature) }
        var p = ABITypeParser(String(s[open...]))
        guard case .tuple(let types) = try p.parseType(depth: 0), p.atEnd else { throw ABIError.invalidSignature(signature) }
        return (name, types)
    }

    static func canonicalSignature(_ name: String, _ types: [ABIType]) -> String {
        name + ABIType.tuple(types).description
    }

    // MARK: Encoding

    /// Encodes values as the arguments of a call (a tuple of `types`).
    public static func encode(_ values: [ABIValue], types: [ABIType]) throws -> [UInt8] {
        try encodeTuple(values, types)
    }

    /// Selector followed by the encoded arguments.
    public static func encodeCall(_ signature: String, _ values: [ABIValue]) throws -> [UInt8] {
        let (_, types) = try parseSignature(signature)
        return try selector(signature) + encode(values, types: types)
    }

    static func encodeTuple(_ values: [ABIValue], _ types: [ABIType]) throws -> [UInt8] {
        guard values.count == types.count else { throw ABIError.valueCount(expected: types.count, actual: values.count) }
        let headLength = ABIType.headSize(of: types)
        guard headLength <= maxHeadSize else { throw tooLarge(types) }
        var head = [UInt8]()
        var tail = [UInt8]()
        for (v, t) in zip(values, types) {
            let enc = try encodeValue(v, t)
            if t.isDynamic {
                head += word(UInt256(UInt64(headLength + tail.count)))
                tail += enc
            } else {
                head += enc
            }
        }
        return head + tail
    }

    static func encodeValue(_ value: ABIValue, _ type: ABIType) throws -> [UInt8] {
        switch (type, value) {
        case (.uint(let bits), .uint(let v)):
            guard v.bitWidth <= bits else { throw ABIError.valueOutOfRange(type: type.description, value: v.description) }
            return v.bigEndianBytes
        case (.int(let bits), .int(let v)):
            guard fitsSigned(v, bits: bits) else { throw ABIError.valueOutOfRange(type: type.description, value: value.description) }
            return v.bigEndianBytes
        case (.address, .address(let a)):
            return [UInt8](repeating: 0, count: 12) + a.bytes
        case (.bool, .bool(let b)):
            return word(b ? .one : .zero)
        case (.fixedBytes(let n), .fixedBytes(let b)):
            guard b.count == n else { throw ABIError.valueOutOfRange(type: type.description, value: b.hexPrefixed) }
            return padRight(b)
        case (.bytes, .bytes(let b)):
            return word(UInt256(UInt64(b.count))) + padRight(b)
        case (.string, .string(let s)):
            let b = Array(s.utf8)
            return word(UInt256(UInt64(b.count))) + padRight(b)
        case (.array(let t), .array(let vs)):
            return word(UInt256(UInt64(vs.count))) + (try encodeTuple(vs, Array(repeating: t, count: vs.count)))
        case (.fixedArray(let t, let n), .array(let vs)):
            guard vs.count == n else { throw ABIError.valueCount(expected: n, actual: vs.count) }
            return try encodeTuple(vs, Array(repeating: t, count: n))
        case (.tuple(let ts), .tuple(let vs)):
            return try encodeTuple(vs, ts)
        default:
            throw ABIError.typeMismatch(type: type.description, value: value.description)
        }
    }

    /// The error for a tuple whose head exceeds ``maxHeadSize``, naming the member that makes it so.
    static func tooLarge(_ types: [ABIType]) -> ABIError {
        .typeTooLarge((types.first { $0.headSize > maxHeadSize } ?? .tuple(types)).description)
    }

    static func fitsSigned(_ v: UInt256, bits: Int) -> Bool {
        if bits == 256 { return true }
        return v.signExtended(fromByte: UInt256(UInt64(bits / 8 - 1))) == v
    }

    static func word(_ v: UInt256) -> [UInt8] { v.bigEndianBytes }

    static func padRight(_ b: [UInt8]) -> [UInt8] {
        let pad = (32 - b.count % 32) % 32
        return b + [UInt8](repeating: 0, count: pad)
    }

    // MARK: Decoding

    /// Heads longer than this (4 GiB) describe more data than any input or value held in memory, so
    /// such types are refused before their size enters any sum.
    public static let maxHeadSize = 1 << 32

    /// Decodes call data or return data laid out as a tuple of `types`. Strict: offsets and lengths
    /// must stay inside the data, padding must be zero, integers must fit their width, and no two
    /// values may share input bytes (see ``Decoder``), so the byte and string payloads decoded
    /// together never exceed `data.count`.
    public static func decode(_ types: [ABIType], from data: [UInt8]) throws -> [ABIValue] {
        var d = Decoder(data: data)
        return try d.decodeTuple(types, base: 0).values
    }

    /// Reads values out of `data`, refusing the layouts a hostile encoder could use to make a small
    /// input expand.
    ///
    /// Offsets are free pointers, so N head words all naming one large blob would decode into N copies
    /// of it: memory quadratic in the input. The ABI specification lays a tuple out as all its heads,
    /// then each dynamic member's tail in order, each starting where the previous one ended, and
    /// encoders follow it. The decoder therefore requires each tail to start at or after the end of
    /// everything its tuple used before it (gaps are tolerated, overlaps are
    /// ``ABIError/aliasedOffset(offset:pointer:firstFree:)``).
    /// Every input byte then belongs to at most one value, which gives the bound on decoded memory:
    /// the byte and string payloads sum to at most `data.count`. Values that occupy no bytes of their
    /// own (members of nested static tuples, empty tuples) are bounded separately by `budget`.
    struct Decoder {
        let data: [UInt8]
        /// Values left to decode: at most one per input byte, plus slack for nesting in tiny inputs.
        var budget: Int

        init(data: [UInt8]) {
            self.data = data
            self.budget = 1024 + data.count
        }

        func readWord(_ offset: Int) throws -> [UInt8] {
            guard offset >= 0, offset <= data.count, data.count - offset >= 32 else {
                throw ABIError.truncated(offset: offset, needed: 32, available: max(0, data.count - offset))
            }
            return Array(data[offset..<(offset + 32)])
        }

        func readUInt(_ offset: Int) throws -> UInt256 {
            // 32 bytes always fit.
            UInt256(bigEndian: try readWord(offset)) ?? .zero
        }

        /// Reads a pointer or length word that must be a small non-negative integer.
        func readSize(_ offset: Int) throws -> Int {
            let v = try readUInt(offset)
            guard let n = v.int, n <= data.count else { throw ABIError.offsetOutOfBounds(offset: offset, pointer: v.description) }
            return n
        }

        /// Decodes a tuple whose head starts at `base` (at most `data.count`); returns its values and the
        /// offset just past the last byte it used, its head or its last tail.
        mutating func decodeTuple(_ types: [ABIType], base: Int) throws -> (values: [ABIValue], end: Int) {
            let headSize = ABIType.headSize(of: types)
            guard headSize <= data.count - base else {
                if headSize > maxHeadSize { throw tooLarge(types) }
                throw ABIError.truncated(offset: base, needed: headSize, available: data.count - base)
            }
            var values = [ABIValue]()
            values.reserveCapacity(types.count)
            var headOffset = base
            // The first byte no value of this tuple has used yet; tails may start here or later.
            var end = base + headSize
            for t in types {
                if t.isDynamic {
                    let pointer = try readSize(headOffset)
                    let target = base + pointer
                    guard target <= data.count else { throw ABIError.offsetOutOfBounds(offset: headOffset, pointer: String(pointer)) }
                    guard target >= end else {
                        throw ABIError.aliasedOffset(offset: headOffset, pointer: pointer, firstFree: end - base)
                    }
                    let (value, tailEnd) = try decodeValue(t, at: target)
                    values.append(value)
                    end = tailEnd
                } else {
                    values.append(try decodeValue(t, at: headOffset).value)
                }
                // The head fits in the data, so these sums stay below `data.count`.
                headOffset += t.headSize
            }
            return (values, end)
        }

        /// Decodes one value at `offset`; returns it and the offset just past the last byte it used.
        mutating func decodeValue(_ type: ABIType, at offset: Int) throws -> (value: ABIValue, end: Int) {
            budget -= 1
            guard budget >= 0 else { throw ABIError.tooComplex }
            switch type {
            case .uint(let bits):
                let v = try readUInt(offset)
                guard v.bitWidth <= bits else { throw ABIError.dirtyPadding(type: type.description, offset: offset) }
                return (.uint(v), offset + 32)
            case .int(let bits):
                let v = try readUInt(offset)
                guard fitsSigned(v, bits: bits) else { throw ABIError.dirtyPadding(type: type.description, offset: offset) }
                return (.int(v), offset + 32)
            case .address:
                let w = try readWord(offset)
                guard w[0..<12].allSatisfy({ $0 == 0 }) else { throw ABIError.dirtyPadding(type: "address", offset: offset) }
                return (.address(try Address(Array(w[12...]))), offset + 32)
            case .bool:
                let v = try readUInt(offset)
                guard v <= .one else { throw ABIError.invalidBool(offset: offset) }
                return (.bool(v == .one), offset + 32)
            case .fixedBytes(let n):
                let w = try readWord(offset)
                guard w[n...].allSatisfy({ $0 == 0 }) else { throw ABIError.dirtyPadding(type: type.description, offset: offset) }
                return (.fixedBytes(Array(w[0..<n])), offset + 32)
            case .bytes, .string:
                let len = try readSize(offset)
                // readSize read a whole word at `offset`, so `start` is within the data.
                let start = offset + 32
                let padded = (len + 31) / 32 * 32
                guard data.count - start >= padded else {
                    throw ABIError.truncated(offset: start, needed: padded, available: data.count - start)
                }
                let b = Array(data[start..<(start + len)])
                guard data[(start + len)..<(start + padded)].allSatisfy({ $0 == 0 }) else {
                    throw ABIError.dirtyPadding(type: type.description, offset: start + len)
                }
                if case .string = type {
                    guard let s = String(validating: b, as: UTF8.self) else { throw ABIError.invalidUTF8(offset: start) }
                    return (.string(s), start + padded)
                }
                return (.bytes(b), start + padded)
            case .array(let t):
                let count = try readSize(offset)
                // Every element needs at least one head word, so the data bounds the count (and the
                // element list built below) before any element is read.
                guard count <= (data.count - offset - 32) / 32 else {
                    throw ABIError.truncated(offset: offset + 32, needed: count * 32, available: data.count - offset - 32)
                }
                let (values, end) = try decodeTuple(Array(repeating: t, count: count), base: offset + 32)
                return (.array(values), end)
            case .fixedArray(let t, let n):
                let (values, end) = try decodeTuple(Array(repeating: t, count: n), base: offset)
                return (.array(values), end)
            case .tuple(let ts):
                let (values, end) = try decodeTuple(ts, base: offset)
                return (.tuple(values), end)
            }
        }
    }
}
