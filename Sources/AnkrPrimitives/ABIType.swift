/// A Solidity ABI type.
public indirect enum ABIType: Equatable, Hashable, Sendable, CustomStringConvertible {
    case uint(bits: Int)
    case int(bits: Int)
    case address
    case bool
    case fixedBytes(Int)
    case bytes
    case string
    case array(ABIType)
    case fixedArray(ABIType, count: Int)
    case tuple([ABIType])

    /// Dynamic types are encoded in the tail behind an offset.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: return true
        case .fixedArray(let t, _): return t.isDynamic
        case .tuple(let ts): return ts.contains { $0.isDynamic }
        default: return false
        }
    }

    /// Bytes this type occupies in the head of an enclosing tuple. Saturates at `Int.max`: nested fixed
    /// arrays such as `uint256[65536][65536][65536][65536]` name more bytes than an `Int` holds.
    public var headSize: Int {
        if isDynamic { return 32 }
        switch self {
        case .fixedArray(let t, let n):
            let (size, overflow) = t.headSize.multipliedReportingOverflow(by: n)
            return overflow ? .max : size
        case .tuple(let ts): return Self.headSize(of: ts)
        default: return 32
        }
    }

    /// Bytes the heads of `types` take side by side, saturating at `Int.max`.
    static func headSize(of types: [ABIType]) -> Int {
        var total = 0
        for t in types {
            let (sum, overflow) = total.addingReportingOverflow(t.headSize)
            if overflow { return .max }
            total = sum
        }
        return total
    }

    /// The canonical name used in signatures (`uint256`, `(address,bytes)[]`).
    public var description: String {
        switch self {
        case .uint(let b): return "uint\(b)"
        case .int(let b): return "int\(b)"
        case .address: return "address"
        case .bool: return "bool"
        case .fixedBytes(let n): return "bytes\(n)"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array(let t): return "\(t)[]"
        case .fixedArray(let t, let n): return "\(t)[\(n)]"
        case .tuple(let ts): return "(" + ts.map(\.description).joined(separator: ",") + ")"
        }
    }

    /// Parses a type such as `uint`, `bytes32`, `address[]`, `(uint8,string)[2]`.
    public init(parsing text: String) throws {
        var p = ABITypeParser(text)
        self = try p.parseType(depth: 0)
        guard p.atEnd else { throw ABIError.invalidType(text) }
    }

    /// Parses a comma-separated list, with or without surrounding parentheses: `uint256,bytes` or `(uint256,bytes)`.
    public static func parseList(_ text: String) throws -> [ABIType] {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty || trimmed == "()" { return [] }
        var p = ABITypeParser("(" + trimmed + ")")
        guard case .tuple(let ts) = try p.parseType(depth: 0), p.atEnd else { throw ABIError.invalidType(text) }
        // `(uint256,bool)` names the argument list itself, as in a function signature.
        if ts.count == 1, case .tuple(let inner) = ts[0], trimmed.hasPrefix("("), trimmed.hasSuffix(")") {
            return inner
        }
        return ts
    }
}

extension String {
    /// The string without leading and trailing spaces (only U+0020: formats here never allow other blanks).
    public var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

/// A small recursive-descent parser for type strings.
struct ABITypeParser {
    static let maxDepth = 32
    let text: String
    let chars: [Character]
    var i = 0

    init(_ text: String) {
        self.text = text
        self.chars = Array(text.filter { $0 != " " })
    }

    var atEnd: Bool { i == chars.count }

    mutating func parseType(depth: Int) throws -> ABIType {
        guard depth < Self.maxDepth else { throw ABIError.invalidType(text) }
        var base: ABIType
        if i < chars.count && chars[i] == "(" {
            i += 1
            var members = [ABIType]()
            if i < chars.count && chars[i] == ")" {
                i += 1
            } else {
                while true {
                    members.append(try parseType(depth: depth + 1))
                    guard i < chars.count else { throw ABIError.invalidType(text) }
                    if chars[i] == "," { i += 1; continue }
                    if chars[i] == ")" { i += 1; break }
                    throw ABIError.invalidType(text)
                }
            }
            base = .tuple(members)
        } else {
            var name = ""
            while i < chars.count, chars[i].isLetter || chars[i].isNumber {
                name.append(chars[i]); i += 1
            }
            base = try Self.elementary(name, text: text)
        }
        // Each suffix nests the type one level deeper, and everything that walks a type recurses.
        var nesting = depth
        while i < chars.count && chars[i] == "[" {
            nesting += 1
            guard nesting < Self.maxDepth else { throw ABIError.invalidType(text) }
            i += 1
            var digits = ""
            while i < chars.count, chars[i].isNumber { digits.append(chars[i]); i += 1 }
            guard i < chars.count, chars[i] == "]" else { throw ABIError.invalidType(text) }
            i += 1
            if digits.isEmpty {
                base = .array(base)
            } else {
                guard let n = Int(digits), n > 0, n <= 1 << 16 else { throw ABIError.invalidType(text) }
                base = .fixedArray(base, count: n)
            }
        }
        return base
    }

    static func elementary(_ name: String, text: String) throws -> ABIType {
        switch name {
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "uint": return .uint(bits: 256)
        case "int": return .int(bits: 256)
        case "function": return .fixedBytes(24)
        default: break
        }
        if name.hasPrefix("uint"), let b = Int(name.dropFirst(4)), b > 0, b <= 256, b % 8 == 0, !name.dropFirst(4).hasPrefix("0") {
            return .uint(bits: b)
        }
        if name.hasPrefix("int"), let b = Int(name.dropFirst(3)), b > 0, b <= 256, b % 8 == 0, !name.dropFirst(3).hasPrefix("0") {
            return .int(bits: b)
        }
        if name.hasPrefix("bytes"), let n = Int(name.dropFirst(5)), n > 0, n <= 32, !name.dropFirst(5).hasPrefix("0") {
            return .fixedBytes(n)
        }
        throw ABIError.invalidType(text)
    }
}
