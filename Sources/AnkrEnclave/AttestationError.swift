import AnkrPrimitives

/// Why evidence was refused. Each check has its own case so logs and tests say exactly which failed.
public enum AttestationError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case formatNotAllowed(AttestationFormat)
    case untrustedRoot
    case badReportSignature
    case measurementNotAllowed(H256)
    case debugNotAllowed
    case keyNotBound
    case stale(age: UInt64, limit: UInt64)
    case fromTheFuture(seconds: UInt64)
    case unexpectedUserData
    case unsupportedBackend(AttestationFormat)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed attestation evidence: \(why)"
        case .formatNotAllowed(let f): return "attestation format \(f.rawValue) is not allowed by genesis"
        case .untrustedRoot: return "platform certificate does not chain to a trusted attestation root"
        case .badReportSignature: return "enclave report is not signed by the certified platform key"
        case .measurementNotAllowed(let m): return "enclave measurement \(m) is not allowed"
        case .debugNotAllowed: return "debug enclaves are not allowed"
        case .keyNotBound: return "report data does not bind the enclave key"
        case .stale(let age, let limit): return "evidence is \(age) s old; at most \(limit) s allowed"
        case .fromTheFuture(let s): return "evidence is dated \(s) s in the future"
        case .unexpectedUserData: return "report data does not carry the expected challenge"
        case .unsupportedBackend(let f): return "no verifier backend for \(f.rawValue) evidence in this build"
        }
    }
}
