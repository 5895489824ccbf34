/// Why `ankr evm batch` could not read a case (the path names the field, as in `pre[0x…].balance`).
enum BatchCaseError: Error, CustomStringConvertible {
    case notAnObject(String)
    case notAList(String)
    case missing(String)
    case notANumber(String, String)
    case tooLarge(String)
    case notHex(String)
    case notAnAddress(String)
    case wrongLength(String, expected: Int)
    case notABoolean(String, String)

    var description: String {
        switch self {
        case .notAnObject(let path): return "\(path) is not a JSON object"
        case .notAList(let path): return "\(path) is not a JSON list"
        case .missing(let path): return "\(path) is missing"
        case .notANumber(let path, let text): return "\(path) is not a decimal or 0x number: \(text)"
        case .tooLarge(let path): return "\(path) does not fit 64 bits"
        case .notHex(let path): return "\(path) is not 0x hex"
        case .notAnAddress(let path): return "\(path) is not a 20-byte hex address"
        case .wrongLength(let path, let expected): return "\(path) is not \(expected) bytes"
        case .notABoolean(let path, let text): return "\(path) is not true or false: \(text)"
        }
    }
}
