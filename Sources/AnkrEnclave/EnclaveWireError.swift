import AnkrPrimitives

/// What was wrong with a frame or message of the enclave socket protocol (``EnclaveFrame``,
/// ``EnclaveRequest``, ``EnclaveReply``). Either side may be hostile, so every case names the
/// message and field at fault.
public enum EnclaveWireError: Error, Equatable, Sendable, CustomStringConvertible {
    case frameTooLarge(length: UInt64, limit: Int)
    case unsupportedVersion(UInt64, supported: UInt64)
    case unknownKind(message: String, kind: UInt64)
    case notRLP(message: String, RLPError)
    case wrongFieldCount(message: String, expected: Int, actual: Int)
    case badField(message: String, field: String, RLPError)
    case wrongFieldSize(field: String, expected: Int, actual: Int)
    case fieldTooLarge(field: String, count: Int, limit: Int)
    case notAFlag(field: String, value: UInt64)

    public var description: String {
        switch self {
        case .frameTooLarge(let n, let l): return "enclave frame of \(n) bytes exceeds the \(l)-byte limit"
        case .unsupportedVersion(let v, let s): return "enclave protocol version \(v) is not supported (this side speaks \(s))"
        case .unknownKind(let m, let k): return "unknown \(m) kind \(k)"
        case .notRLP(let m, let e): return "\(m) is not RLP: \(e)"
        case .wrongFieldCount(let m, let e, let a): return "\(m) needs \(e) fields, has \(a)"
        case .badField(let m, let f, let e): return "\(m) field \(f): \(e)"
        case .wrongFieldSize(let f, let e, let a): return "\(f) must be \(e) bytes, is \(a)"
        case .fieldTooLarge(let f, let n, let l): return "\(f) of \(n) exceeds the limit of \(l)"
        case .notAFlag(let f, let v): return "\(f) must be 0 or 1, is \(v)"
        }
    }
}
