import AnkrPrimitives
import Foundation

/// Positional JSON-RPC parameters with typed, bounds-checked accessors that throw -32602 errors.
public struct RPCParams {
    public let values: [Any]

    public init(_ raw: Any?) throws {
        switch raw {
        case nil, is NSNull: values = []
        case let a as [Any]: values = a
        default: throw RPCError.invalidParams("params must be an array")
        }
    }

    public var count: Int { values.count }

    public func expect(min: Int, max: Int) throws {
        guard values.count >= min, values.count <= max else {
            throw RPCError.invalidParams(min == max ? "expected \(min) parameters, got \(values.count)"
                                                    : "expected \(min) to \(max) parameters, got \(values.count)")
        }
    }

    func value(_ i: Int) -> Any? {
        guard i < values.count, !(values[i] is NSNull) else { return nil }
        return values[i]
    }

    public func has(_ i: Int) -> Bool { value(i) != nil }

    public func string(_ i: Int, _ name: String) throws -> String {
        guard let s = value(i) as? String else { throw RPCError.invalidParams("\(name) must be a string") }
        return s
    }

    public func address(_ i: Int, _ name: String = "address") throws -> Address {
        try Self.address(value(i), name)
    }

    static func address(_ v: Any?, _ name: String) throws -> Address {
        guard let s = v as? String, let a = try? Address(hex: s) else { throw RPCError.invalidParams("\(name) must be a 20-byte hex address") }
        return a
    }

    public func hash(_ i: Int, _ name: String = "hash") throws -> H256 {
        try Self.hash(value(i), name)
    }

    static func hash(_ v: Any?, _ name: String) throws -> H256 {
        guard let s = v as? String, let h = try? H256(hex: s) else { throw RPCError.invalidParams("\(name) must be a 32-byte hex string") }
        return h
    }

    public func bytes(_ i: Int, _ name: String) throws -> [UInt8] {
        try Self.bytes(value(i), name)
    }

    static func bytes(_ v: Any?, _ name: String) throws -> [UInt8] {
        guard let s = v as? String, s.hasPrefix("0x"), let b = try? Hex.decode(s) else { throw RPCError.invalidParams("\(name) must be 0x-prefixed hex bytes") }
        return b
    }

    public func bool(_ i: Int, _ name: String) throws -> Bool {
        guard let b = value(i) as? Bool else { throw RPCError.invalidParams("\(name) must be a boolean") }
        return b
    }

    public func object(_ i: Int, _ name: String) throws -> [String: Any] {
        guard let o = value(i) as? [String: Any] else { throw RPCError.invalidParams("\(name) must be an object") }
        return o
    }

    public func quantity(_ i: Int, _ name: String) throws -> UInt256 { try Self.quantity(value(i), name) }

    /// A JSON-RPC quantity: `0x`-prefixed hex without leading zeros (a JSON number is also taken).
    static func quantity(_ v: Any?, _ name: String) throws -> UInt256 {
        if let s = v as? String, s.hasPrefix("0x"), s.count > 2, s.count <= 66, let q = try? UInt256(parsing: s) { return q }
        if let n = v as? NSNumber, n.stringValue == String(n.uint64Value) { return UInt256(n.uint64Value) }
        throw RPCError.invalidParams("\(name) must be a hex quantity")
    }

    static func quantity64(_ v: Any?, _ name: String) throws -> UInt64 {
        guard let q = try quantity(v, name).uint64 else { throw RPCError.invalidParams("\(name) does not fit 64 bits") }
        return q
    }
}

/// JSON-RPC quantity and data encodings.
public enum RPCFormat {
    public static func q(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
    public static func q(_ v: Int) -> String { "0x" + String(v, radix: 16) }
    public static func q(_ v: UInt256) -> String { v.hexQuantity }
    public static func data(_ b: [UInt8]) -> String { b.hexPrefixed }
}
