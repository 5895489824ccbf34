extension ABIValue {
    /// Reads a command-line argument as a value of `type`, the way `cast abi-encode` does:
    /// integers in decimal or `0x` hex (signed ones may start with `-`), addresses and bytes in hex,
    /// `true`/`false`, strings as they are, arrays as `[a,b]` and tuples as `(a,b)`.
    public init(parsing text: String, as type: ABIType) throws {
        let t = text.trimmingSpaces
        let bad = ABIError.invalidArgument(type: type.description, text: text)
        switch type {
        case .uint(let bits):
            guard let v = try? UInt256(parsing: t) else { throw bad }
            guard v.bitWidth <= bits else { throw ABIError.valueOutOfRange(type: type.description, value: text) }
            self = .uint(v)
        case .int(let bits):
            let negative = t.hasPrefix("-")
            guard let mag = try? UInt256(parsing: negative ? String(t.dropFirst()) : t) else { throw bad }
            let v = negative ? mag.negated : mag
            guard (negative ? (v.isNegative || v.isZero) : !v.isNegative), ABI.fitsSigned(v, bits: bits) else {
                throw ABIError.valueOutOfRange(type: type.description, value: text)
            }
            self = .int(v)
        case .address:
            guard let a = try? Address(hex: t) else { throw bad }
            self = .address(a)
        case .bool:
            switch t {
            case "true": self = .bool(true)
            case "false": self = .bool(false)
            default: throw bad
            }
        case .fixedBytes(let n):
            guard let b = try? Hex.decode(t), b.count == n else { throw bad }
            self = .fixedBytes(b)
        case .bytes:
            guard let b = try? Hex.decode(t) else { throw bad }
            self = .bytes(b)
        case .string:
            self = .string(text)
        case .array(let inner):
            let parts = try Self.splitList(t, open: "[", close: "]", type: type)
            self = .array(try parts.map { try ABIValue(parsing: $0, as: inner) })
        case .fixedArray(let inner, let n):
            let parts = try Self.splitList(t, open: "[", close: "]", type: type)
            guard parts.count == n else { throw ABIError.valueCount(expected: n, actual: parts.count) }
            self = .array(try parts.map { try ABIValue(parsing: $0, as: inner) })
        case .tuple(let members):
            let parts = try Self.splitList(t, open: "(", close: ")", type: type)
            guard parts.count == members.count else { throw ABIError.valueCount(expected: members.count, actual: parts.count) }
            self = .tuple(try zip(parts, members).map { try ABIValue(parsing: $0, as: $1) })
        }
    }

    /// Splits `[a,(b,c),[d]]` into its top-level elements.
    static func splitList(_ text: String, open: Character, close: Character, type: ABIType) throws -> [String] {
        guard text.first == open, text.last == close, text.count >= 2 else {
            throw ABIError.invalidArgument(type: type.description, text: text)
        }
        let body = text.dropFirst().dropLast()
        if body.allSatisfy({ $0 == " " }) { return [] }
        var parts = [String]()
        var depth = 0
        var current = ""
        for c in body {
            switch c {
            case "[", "(": depth += 1; current.append(c)
            case "]", ")":
                depth -= 1
                guard depth >= 0 else { throw ABIError.invalidArgument(type: type.description, text: text) }
                current.append(c)
            case "," where depth == 0:
                parts.append(current); current = ""
            default: current.append(c)
            }
        }
        guard depth == 0 else { throw ABIError.invalidArgument(type: type.description, text: text) }
        parts.append(current)
        return parts
    }
}
