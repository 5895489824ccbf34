/// A value to encode with, or decoded from, the Solidity ABI.
public indirect enum ABIValue: Equatable, Hashable, Sendable, CustomStringConvertible {
    case uint(UInt256)
    /// Signed integers are kept as their 256-bit two's complement.
    case int(UInt256)
    case address(Address)
    case bool(Bool)
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    case array([ABIValue])
    case tuple([ABIValue])

    /// A readable rendering: decimal integers (signed where signed), 0x hex for bytes, EIP-55 addresses.
    public var description: String {
        switch self {
        case .uint(let v): return v.description
        case .int(let v): return v.isNegative ? "-" + v.negated.description : v.description
        case .address(let a): return a.checksummed
        case .bool(let b): return b ? "true" : "false"
        case .fixedBytes(let b), .bytes(let b): return b.hexPrefixed
        case .string(let s): return s
        case .array(let vs): return "[" + vs.map(\.description).joined(separator: ",") + "]"
        case .tuple(let vs): return "(" + vs.map(\.description).joined(separator: ",") + ")"
        }
    }
}

/// Why an ABI encode or decode failed.
public enum ABIError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidType(String)
    case invalidSignature(String)
    case valueCount(expected: Int, actual: Int)
    case typeMismatch(type: String, value: String)
    case valueOutOfRange(type: String, value: String)
    case truncated(offset: Int, needed: Int, available: Int)
    case offsetOutOfBounds(offset: Int, pointer: String)
    case dirtyPadding(type: String, offset: Int)
    case invalidBool(offset: Int)
    case invalidUTF8(offset: Int)
    case invalidArgument(type: String, text: String)
    case tooComplex

    public var description: String {
        switch self {
        case .invalidType(let t): return "invalid ABI type \"\(t)\""
        case .invalidSignature(let s): return "invalid function signature \"\(s)\""
        case .valueCount(let e, let a): return "expected \(e) values, got \(a)"
        case .typeMismatch(let t, let v): return "value \(v) does not match type \(t)"
        case .valueOutOfRange(let t, let v): return "value \(v) is out of range for \(t)"
        case .truncated(let o, let n, let a): return "ABI data too short at offset \(o): need \(n) bytes, \(a) available"
        case .offsetOutOfBounds(let o, let p): return "ABI offset \(p) at \(o) points outside the data"
        case .dirtyPadding(let t, let o): return "non-zero padding in \(t) at offset \(o)"
        case .invalidBool(let o): return "bool at offset \(o) is neither 0 nor 1"
        case .invalidUTF8(let o): return "string at offset \(o) is not valid UTF-8"
        case .invalidArgument(let t, let s): return "cannot read \"\(s)\" as \(t)"
        case .tooComplex: return "ABI data expands to too many values"
        }
    }
}

extension ABIValue {
    /// The payload of a value already decoded against its type (nil for another kind): native
    /// contracts read their arguments with these after `ABI.decode` checked the types.
    public var uintValue: UInt256? { if case .uint(let v) = self { return v }; return nil }
    public var bytesValue: [UInt8]? { if case .bytes(let b) = self { return b }; return nil }
    public var fixedBytesValue: [UInt8]? { if case .fixedBytes(let b) = self { return b }; return nil }
    public var addressValue: Address? { if case .address(let a) = self { return a }; return nil }
    public var arrayValue: [ABIValue]? { if case .array(let vs) = self { return vs }; return nil }
}
