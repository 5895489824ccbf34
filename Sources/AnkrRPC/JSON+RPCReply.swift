import AnkrPrimitives

/// Typed readers of JSON-RPC results. A reply comes from a node that may be buggy or hostile, so each
/// reader checks the shape and bounds of the value and throws ``RPCClientError/unexpected(path:expected:found:)``
/// naming where the bad value was (`eth_getTransactionReceipt.logs[0].topics[1]`), never traps.
extension JSON {
    /// The member `key` of an object; a missing member (or a non-object) throws.
    public func member(_ key: String, in path: String) throws -> JSON {
        guard let object else { throw mismatch(path, "an object") }
        guard let value = object[key] else { throw RPCClientError.unexpected(path: "\(path).\(key)", expected: "a value", found: "nothing") }
        return value
    }

    /// A string.
    public func text(_ path: String) throws -> String {
        guard let string else { throw mismatch(path, "a string") }
        return string
    }

    /// A boolean.
    public func boolean(_ path: String) throws -> Bool {
        guard let bool else { throw mismatch(path, "a boolean") }
        return bool
    }

    /// An array.
    public func list(_ path: String) throws -> [JSON] {
        guard let array else { throw mismatch(path, "an array") }
        return array
    }

    /// A quantity: `0x` and 1 to 64 hex digits.
    public func quantity(_ path: String) throws -> UInt256 {
        guard let s = string, s.hasPrefix("0x"), s.utf8.count > 2, s.utf8.count <= 66, let q = try? UInt256(parsing: s) else {
            throw mismatch(path, "a hex quantity")
        }
        return q
    }

    /// A quantity that fits 64 bits (block numbers, nonces, gas, indices).
    public func quantity64(_ path: String) throws -> UInt64 {
        guard let q = try quantity(path).uint64 else { throw mismatch(path, "a quantity below 2^64") }
        return q
    }

    /// `0x`-prefixed hex bytes of even length.
    public func bytes(_ path: String) throws -> [UInt8] {
        guard let s = string, s.hasPrefix("0x"), let b = try? Hex.decode(s) else { throw mismatch(path, "0x-prefixed hex bytes") }
        return b
    }

    /// A 20-byte hex address.
    public func address(_ path: String) throws -> Address {
        guard let s = string, s.utf8.count == 42, let a = try? Address(hex: s) else { throw mismatch(path, "a 20-byte hex address") }
        return a
    }

    /// A 32-byte hex value (a hash, a topic).
    public func h256(_ path: String) throws -> H256 {
        guard let s = string, s.utf8.count == 66, let h = try? H256(hex: s) else { throw mismatch(path, "a 32-byte hex string") }
        return h
    }

    /// `read(self)`, or nil when this value is null (an absent `to`, a pending block number).
    public func optional<T>(_ read: (JSON) throws -> T) rethrows -> T? {
        self == .null ? nil : try read(self)
    }

    /// The error for this value at `path` when `expected` was wanted; shows a short prefix of a bad string.
    func mismatch(_ path: String, _ expected: String) -> RPCClientError {
        let found: String
        if let string {
            found = string.utf8.count > 24 ? "the string \"\(string.prefix(24))…\"" : "the string \"\(string)\""
        } else {
            found = kind
        }
        return .unexpected(path: path, expected: expected, found: found)
    }
}
