import AnkrPrimitives

/// One object of a genesis file, read setting by setting so that every refusal names the key path
/// (``GenesisError``). Genesis reads `config`, `config.ankr` and the allocations with it; the feature
/// targets read their own sections (`config.ankr.plasma`, `config.ankr.oracle`) the same way.
///
/// Quantities follow geth's genesis format: a `0x` hex string, a decimal string, or a JSON integer.
public struct GenesisSection: Sendable {
    /// Where the section sits, as errors name it (empty at the top level).
    public let path: String
    /// What joins the path and a key: "." for settings, " " for the `alloc <address> <field>` paths.
    public let separator: String
    /// The section's members; an absent section has none, so every setting takes its default.
    public let members: [String: JSON]

    /// Reads `value` as an object; absent or null is an empty section.
    public init(_ value: JSON?, at path: String, separator: String = ".") throws {
        switch value {
        case nil, .null?: members = [:]
        case .object(let m)?: members = m
        case .some: throw GenesisError.wrongType(path: path.isEmpty ? "top level" : path, expected: "an object")
        }
        self.path = path
        self.separator = separator
    }

    /// The key path of `key` in this section.
    public func path(of key: String) -> String { path.isEmpty ? key : path + separator + key }

    /// The member `key`, with null read as absent.
    public subscript(key: String) -> JSON? {
        guard let v = members[key], !v.isNull else { return nil }
        return v
    }

    /// Refuses a member not in `known` (the first in sorted order, so the message is stable).
    public func refuseUnknown(_ known: Set<String>) throws {
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw GenesisError.unknownSetting(path: path(of: unknown))
        }
    }

    /// The object `key` as a section of its own (empty when absent).
    public func section(_ key: String) throws -> GenesisSection {
        try GenesisSection(members[key], at: path(of: key), separator: separator)
    }

    /// A quantity: a hex or decimal string up to 2^256-1, or a non-negative JSON integer.
    public func quantity(_ key: String) throws -> UInt256? {
        guard let value = self[key] else { return nil }
        switch value {
        case .string(let text):
            guard let v = try? UInt256(parsing: text) else { throw GenesisError.notANumber(path: path(of: key), text: text) }
            return v
        case .int, .double:
            // JSON numbers past 2^63 reach us rounded to a double: refused rather than silently changed.
            guard let i = value.int, i >= 0, case .int = value else {
                throw GenesisError.outOfRange(path: path(of: key), must: "be a non-negative integer below 2^63 (write larger ones as strings)")
            }
            return UInt256(UInt64(i))
        default:
            throw GenesisError.wrongType(path: path(of: key), expected: "a number or a string")
        }
    }

    /// A quantity that fits 64 bits.
    public func uint64(_ key: String) throws -> UInt64? {
        guard let v = try quantity(key) else { return nil }
        guard let n = v.uint64 else { throw GenesisError.outOfRange(path: path(of: key), must: "fit 64 bits") }
        return n
    }

    /// A JSON number in (0, 1]: a rate or a probability.
    public func fraction(_ key: String) throws -> Double? {
        guard let value = self[key] else { return nil }
        guard let d = value.double, d > 0, d <= 1 else { throw GenesisError.outOfRange(path: path(of: key), must: "be a number in (0, 1]") }
        return d
    }

    /// `true` or `false`.
    public func bool(_ key: String) throws -> Bool? {
        guard let value = self[key] else { return nil }
        guard let b = value.bool else { throw GenesisError.wrongType(path: path(of: key), expected: "true or false") }
        return b
    }

    /// A JSON string, as written.
    public func string(_ key: String) throws -> String? {
        guard let value = self[key] else { return nil }
        guard let s = value.string else { throw GenesisError.wrongType(path: path(of: key), expected: "a string") }
        return s
    }

    /// A string parsed by `parse`; `expected` names what it must be ("hex", "an address") when it does not parse.
    public func parsed<T>(_ key: String, as expected: String, _ parse: (String) throws -> T) throws -> T? {
        guard let text = try string(key) else { return nil }
        guard let v = try? parse(text) else { throw GenesisError.malformed(path: path(of: key), expected: expected) }
        return v
    }

    /// A hex address (mixed case must carry its EIP-55 checksum).
    public func address(_ key: String) throws -> Address? { try parsed(key, as: "an address") { try Address(hex: $0) } }

    /// A list of strings, each parsed by `parse`; an element that does not parse is named by its
    /// index, with `element` saying what it must be ("a 33-byte compressed public key").
    public func list<T>(_ key: String, of element: String, _ parse: (String) throws -> T) throws -> [T]? {
        guard let value = self[key] else { return nil }
        guard let items = value.array else { throw GenesisError.wrongType(path: path(of: key), expected: "a list") }
        return try items.enumerated().map { i, item in
            guard let text = item.string, let v = try? parse(text) else {
                throw GenesisError.malformed(path: "\(path(of: key))[\(i)]", expected: element)
            }
            return v
        }
    }
}
