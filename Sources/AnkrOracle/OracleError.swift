/// Why a document, path, value or aggregate was refused.
public enum OracleError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidJSON(offset: Int, String)
    case documentTooLarge(Int, limit: Int)
    case tooDeep(limit: Int)
    case invalidPointer(String)
    case pathNotFound(String)
    case notANumber(String)
    case valueOutOfRange(String)
    case tooFewAgree(agreeing: Int, required: Int)

    public var description: String {
        switch self {
        case .invalidJSON(let at, let why): return "invalid JSON at byte \(at): \(why)"
        case .documentTooLarge(let n, let l): return "document of \(n) bytes exceeds the \(l)-byte limit"
        case .tooDeep(let l): return "document nests deeper than \(l) levels"
        case .invalidPointer(let why): return "invalid JSON pointer: \(why)"
        case .pathNotFound(let p): return "nothing at \(p)"
        case .notANumber(let v): return "\(v) is not a number"
        case .valueOutOfRange(let v): return "\(v) does not fit the answer's range"
        case .tooFewAgree(let a, let r): return "only \(a) sources agree, \(r) required"
        }
    }
}
