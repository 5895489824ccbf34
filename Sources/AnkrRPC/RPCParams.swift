import AnkrPrimitives

/// Positional JSON-RPC parameters with typed, bounds-checked accessors that throw -32602 errors.
/// A JSON `null` counts as an absent parameter.
public struct RPCParams: Sendable {
    public let values: [JSON]

    public init(_ values: [JSON]) { self.values = values }

    /// The envelope's `params` member: absent or null is no parameters, an array is positional
    /// parameters; named (object) parameters are refused.
    public init(member: JSON?) throws {
        switch member {
        case nil, .null?: values = []
        case .array(let a)?: values = a
        default: throw RPCError.invalidParams("params must be an array")
        }
    }

    public var count: Int { values.count }

    /// Refuses a call with fewer than `min` or more than `max` parameters.
    public func expect(min: Int, max: Int) throws {
        guard values.count >= min, values.count <= max else {
            throw RPCError.invalidParams(min == max ? "expected \(min) parameters, got \(values.count)"
                                                    : "expected \(min) to \(max) parameters, got \(values.count)")
        }
    }

    /// Parameter `i`, or nil when it is absent or null.
    public func value(_ i: Int) -> JSON? {
        guard i >= 0, i < values.count, values[i] != .null else { return nil }
        return values[i]
    }

    /// Whether parameter `i` is present and not null.
    public func has(_ i: Int) -> Bool { value(i) != nil }

    public func string(_ i: Int, _ name: String) throws -> String {
        guard let s = value(i)?.string else { throw RPCError.invalidParams("\(name) must be a string") }
        return s
    }

    public func address(_ i: Int, _ name: String = "address") throws -> Address { try Self.address(value(i), name) }

    public func hash(_ i: Int, _ name: String = "hash") throws -> H256 { try Self.hash(value(i), name) }

    public func bytes(_ i: Int, _ name: String) throws -> [UInt8] { try Self.bytes(value(i), name) }

    public func bool(_ i: Int, _ name: String) throws -> Bool {
        guard let b = value(i)?.bool else { throw RPCError.invalidParams("\(name) must be a boolean") }
        return b
    }

    public func object(_ i: Int, _ name: String) throws -> [String: JSON] {
        guard let o = value(i)?.object else { throw RPCError.invalidParams("\(name) must be an object") }
        return o
    }

    public func quantity(_ i: Int, _ name: String) throws -> UInt256 { try Self.quantity(value(i), name) }

    public func quantity64(_ i: Int, _ name: String) throws -> UInt64 { try Self.quantity64(value(i), name) }

    /// A 20-byte hex address (a member of an object parameter, say).
    public static func address(_ v: JSON?, _ name: String) throws -> Address {
        guard let s = v?.string, let a = try? Address(hex: s) else { throw RPCError.invalidParams("\(name) must be a 20-byte hex address") }
        return a
    }

    /// A 32-byte hex string.
    public static func hash(_ v: JSON?, _ name: String) throws -> H256 {
        guard let s = v?.string, let h = try? H256(hex: s) else { throw RPCError.invalidParams("\(name) must be a 32-byte hex string") }
        return h
    }

    /// `0x`-prefixed hex bytes.
    public static func bytes(_ v: JSON?, _ name: String) throws -> [UInt8] {
        guard let s = v?.string, s.hasPrefix("0x"), let b = try? Hex.decode(s) else { throw RPCError.invalidParams("\(name) must be 0x-prefixed hex bytes") }
        return b
    }

    /// A JSON-RPC quantity: `0x`-prefixed hex without leading zeros (a non-negative JSON integer is also taken).
    public static func quantity(_ v: JSON?, _ name: String) throws -> UInt256 {
        switch v {
        case .string(let s)?:
            if s.hasPrefix("0x"), s.count > 2, s.count <= 66, let q = try? UInt256(parsing: s) { return q }
        case .int(let n)? where n >= 0:
            return UInt256(UInt64(n))
        case .double(let d)? where d >= 0 && d.rounded() == d && d < 18_446_744_073_709_551_616:
            return UInt256(UInt64(d))
        default:
            break
        }
        throw RPCError.invalidParams("\(name) must be a hex quantity")
    }

    /// A quantity that must fit 64 bits (block numbers, gas, counts).
    public static func quantity64(_ v: JSON?, _ name: String) throws -> UInt64 {
        guard let q = try quantity(v, name).uint64 else { throw RPCError.invalidParams("\(name) does not fit 64 bits") }
        return q
    }
}
