/// A JSON value: what JSON-RPC methods answer, what clients read back, what genesis and test files hold.
///
/// A value type instead of Foundation's `Any` trees, so every boundary that reads JSON says which
/// shape it expects and fails with a typed error when the input has another. Integers are kept apart
/// from fractions (`int` / `double`) because JSON-RPC ids and error codes are integers.
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    /// The member `key` of an object (nil for a missing key or a non-object).
    public subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element at `index` of an array (nil when out of range or not an array).
    public subscript(index: Int) -> JSON? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// An integer, also from a fraction-free `double` within Int64's range.
    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && d >= -9.2e18 && d <= 9.2e18: return Int64(d)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var array: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var object: [String: JSON]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The value's kind, for error messages ("expected a string, found an object").
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var members: [String: JSON] = [:]
        for (k, v) in elements { members[k] = v }
        self = .object(members)
    }
}

extension JSON {
    /// An integer value from any integer, clamped to Int64 (for counts and sizes that never get near
    /// 2^63; a value that may, such as a nonce or a wei amount, belongs in a string).
    public static func int<T: BinaryInteger>(clamping value: T) -> JSON { .int(Int64(clamping: value)) }
    /// `value` as a string, or null when absent.
    public static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
}
