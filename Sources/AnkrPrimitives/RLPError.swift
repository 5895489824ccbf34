/// What was wrong with an RLP input, with the byte offset where it went wrong.
public enum RLPError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyInput
    case truncated(offset: Int, needed: Int, available: Int)
    case singleByteWrapped(offset: Int)
    case longFormForShortPayload(offset: Int)
    case leadingZeroInLength(offset: Int)
    case lengthTooLarge(offset: Int)
    case trailingBytes(offset: Int)
    case tooDeep(offset: Int, limit: Int)
    case expectedBytes
    case expectedList
    case nonCanonicalInteger
    case integerTooLarge(bits: Int)
    case wrongByteCount(expected: Int, actual: Int)
    case wrongItemCount(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .emptyInput: return "empty RLP input"
        case .truncated(let o, let n, let a): return "RLP item at offset \(o) needs \(n) bytes but only \(a) remain"
        case .singleByteWrapped(let o): return "RLP string at offset \(o) wraps a single byte below 0x80"
        case .longFormForShortPayload(let o): return "RLP item at offset \(o) uses the long form for a payload under 56 bytes"
        case .leadingZeroInLength(let o): return "RLP length at offset \(o) has a leading zero byte"
        case .lengthTooLarge(let o): return "RLP length at offset \(o) is too large"
        case .trailingBytes(let o): return "unexpected bytes after the RLP item, at offset \(o)"
        case .tooDeep(let o, let l): return "RLP lists nested deeper than \(l) at offset \(o)"
        case .expectedBytes: return "expected an RLP byte string, found a list"
        case .expectedList: return "expected an RLP list, found a byte string"
        case .nonCanonicalInteger: return "RLP integer has a leading zero byte"
        case .integerTooLarge(let bits): return "RLP integer does not fit in \(bits) bits"
        case .wrongByteCount(let e, let a): return "expected \(e) bytes, got \(a)"
        case .wrongItemCount(let e, let a): return "expected an RLP list of \(e) items, got \(a)"
        }
    }
}
