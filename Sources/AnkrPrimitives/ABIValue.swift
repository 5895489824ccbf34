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

extension ABIValue {
    /// The payload of a value already decoded against its type (nil for another kind): native
    /// contracts read their arguments with these after `ABI.decode` checked the types.
    public var uintValue: UInt256? { if case .uint(let v) = self { return v }; return nil }
    public var bytesValue: [UInt8]? { if case .bytes(let b) = self { return b }; return nil }
    public var fixedBytesValue: [UInt8]? { if case .fixedBytes(let b) = self { return b }; return nil }
    public var addressValue: Address? { if case .address(let a) = self { return a }; return nil }
    public var arrayValue: [ABIValue]? { if case .array(let vs) = self { return vs }; return nil }
}
