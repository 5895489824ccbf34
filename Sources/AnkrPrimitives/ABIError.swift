/// Why an ABI encode or decode failed.
public enum ABIError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidType(String)
    case invalidSignature(String)
    case valueCount(expected: Int, actual: Int)
    case typeMismatch(type: String, value: String)
    case valueOutOfRange(type: String, value: String)
    case truncated(offset: Int, needed: Int, available: Int)
    case offsetOutOfBounds(offset: Int, pointer: String)
    /// The offset word at `offset` holds `pointer`, which lands inside bytes its tuple already used (its
    /// head or an earlier value's tail, which end at `firstFree`), so two values would share input bytes.
    /// `pointer` and `firstFree` are relative to the tuple's start, as offsets are written.
    case aliasedOffset(offset: Int, pointer: Int, firstFree: Int)
    case dirtyPadding(type: String, offset: Int)
    case invalidBool(offset: Int)
    case invalidUTF8(offset: Int)
    case invalidArgument(type: String, text: String)
    case tooComplex
    /// A type whose head alone is larger than ``ABI/maxHeadSize`` bytes.
    case typeTooLarge(String)

    public var description: String {
        switch self {
        case .invalidType(let t): return "invalid ABI type \"\(t)\""
        case .invalidSignature(let s): return "invalid function signature \"\(s)\""
        case .valueCount(let e, let a): return "expected \(e) values, got \(a)"
        case .typeMismatch(let t, let v): return "value \(v) does not match type \(t)"
        case .valueOutOfRange(let t, let v): return "value \(v) is out of range for \(t)"
        case .truncated(let o, let n, let a): return "ABI data too short at offset \(o): need \(n) bytes, \(a) available"
        case .offsetOutOfBounds(let o, let p): return "ABI offset \(p) at \(o) points outside the data"
        case .aliasedOffset(let o, let p, let f):
            return "ABI offset \(p) at \(o) points into bytes already used (the next value may start at \(f) or later)"
        case .dirtyPadding(let t, let o): return "non-zero padding in \(t) at offset \(o)"
        case .invalidBool(let o): return "bool at offset \(o) is neither 0 nor 1"
        case .invalidUTF8(let o): return "string at offset \(o) is not valid UTF-8"
        case .invalidArgument(let t, let s): return "cannot read \"\(s)\" as \(t)"
        case .tooComplex: return "ABI data expands to too many values"
        case .typeTooLarge(let t): return "ABI type \"\(t)\" is too large to encode or decode"
        }
    }
}
