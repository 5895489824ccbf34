import AnkrPrimitives

/// Why a call to the enclave process failed on the node's side: the process is unreachable,
/// died, stalled, or answered something that cannot be true. (Refusals the enclave itself reports
/// arrive as ``EnclaveFailure``, sandbox errors as `WorkError`.)
public enum RemoteEnclaveError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreachable(path: String, EnclaveSocketError)
    case transport(operation: String, EnclaveSocketError)
    case timedOut(operation: String, milliseconds: Int64)
    case requestTooLarge(bytes: Int, limit: Int)
    case malformedReply(operation: String, EnclaveWireError)
    case unexpectedReply(operation: String, reply: String)
    /// After a reconnect the process has another key or measurement: it is not the enclave this client attested.
    case identityChanged
    /// The reply decodes but cannot be honest (a signature by another key, more fuel than the budget, ...).
    case dishonestReply(operation: String, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let path, let e): return "the enclave process at \(path) is unreachable: \(e)"
        case .transport(let op, let e): return "enclave \(op): \(e)"
        case .timedOut(let op, let ms): return "enclave \(op): no reply within \(ms) ms"
        case .requestTooLarge(let n, let l): return "enclave request of \(n) bytes exceeds the \(l)-byte frame limit"
        case .malformedReply(let op, let e): return "enclave \(op): malformed reply: \(e)"
        case .unexpectedReply(let op, let reply): return "enclave \(op): the enclave answered with \(reply)"
        case .identityChanged: return "the enclave process changed its key or measurement since this node connected"
        case .dishonestReply(let op, let why): return "enclave \(op): reply cannot be honest: \(why)"
        }
    }
}
