/// Why a hex string could not be turned into bytes.
public enum HexError: Error, Equatable, Sendable, CustomStringConvertible {
    case oddLength(Int)
    case invalidCharacter(Character, offset: Int)
    case wrongLength(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .oddLength(let n): return "hex string has an odd number of digits (\(n))"
        case .invalidCharacter(let c, let offset): return "invalid hex character '\(c)' at offset \(offset)"
        case .wrongLength(let expected, let actual): return "expected \(expected) bytes, got \(actual)"
        }
    }
}

/// Hex encoding and decoding of byte arrays, with or without the `0x` prefix.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex without prefix.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex with the `0x` prefix.
    public static func encodePrefixed<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        "0x" + encode(bytes)
    }

    /// Decodes hex, accepting an optional `0x`/`0X` prefix and either case. An odd digit count is an error.
    public static func decode(_ string: String) throws -> [UInt8] {
        var utf8 = Array(string.utf8)
        var prefix = 0
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
            utf8.removeFirst(2)
            prefix = 2
        }
        guard utf8.count % 2 == 0 else { throw HexError.oddLength(utf8.count) }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]) else {
                throw HexError.invalidCharacter(Character(Unicode.Scalar(utf8[i])), offset: i + prefix)
            }
            guard let lo = nibble(utf8[i + 1]) else {
                throw HexError.invalidCharacter(Character(Unicode.Scalar(utf8[i + 1])), offset: i + 1 + prefix)
            }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// Decodes hex that must be exactly `count` bytes long.
    public static func decode(_ string: String, count: Int) throws -> [UInt8] {
        let bytes = try decode(string)
        guard bytes.count == count else { throw HexError.wrongLength(expected: count, actual: bytes.count) }
        return bytes
    }

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Array where Element == UInt8 {
    /// Decodes a hex string (optional `0x`), throwing ``HexError`` on bad input.
    public init(hex: String) throws {
        self = try Hex.decode(hex)
    }

    /// Lower-case hex without prefix.
    public var hex: String { Hex.encode(self) }

    /// Lower-case hex with the `0x` prefix.
    public var hexPrefixed: String { Hex.encodePrefixed(self) }
}

extension ArraySlice where Element == UInt8 {
    /// Lower-case hex without prefix.
    public var hex: String { Hex.encode(self) }
}
