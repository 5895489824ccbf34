import Foundation

/// Why bytes are not the JSON a reader expected.
public enum JSONError: Error, CustomStringConvertible, Equatable {
    /// The bytes are not JSON at all (or nest deeper than the parser allows).
    case malformed(String)
    /// The value at `path` has another shape than the reader needs.
    case unexpected(path: String, expected: String, found: String)
    /// A required member is missing.
    case missing(path: String)

    public var description: String {
        switch self {
        case .malformed(let why): return "not valid JSON: \(why)"
        case .unexpected(let path, let expected, let found): return "\(path): expected \(expected), found \(found)"
        case .missing(let path): return "\(path) is missing"
        }
    }
}

extension JSON: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSON].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSON].self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses a JSON text (any value at the top, as RFC 8259 allows); nesting is bounded (512).
    public init(parsing data: Data) throws { self = try JSONParser.parse(Array(data)) }

    public init(parsing bytes: [UInt8]) throws { self = try JSONParser.parse(bytes) }

    public init(parsing text: String) throws { self = try JSONParser.parse(Array(text.utf8)) }

    /// Decodes this value as `T` (for replies and files with a `Codable` shape).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(serialized()))
        } catch let e as DecodingError {
            throw JSONError.malformed(Self.reason(e))
        }
    }

    /// The JSON value of an `Encodable` (a `Codable` reply type, say).
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONParser.parse(Array(JSONEncoder().encode(value)))
    }

    private static func reason(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
