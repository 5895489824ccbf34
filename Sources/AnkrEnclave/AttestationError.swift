import AnkrDCAP
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
    /// DCAP evidence arrived without the collateral (TCB info, QE identity, CRLs) to verify it with.
    case noCollateral
    /// The DCAP quote failed verification: forged or mutated (a signature or the PCK chain does not
    /// check), revoked (a CRL lists a certificate) or expired (collateral outside its validity at the
    /// time of verification); the DCAP error says which.
    case quoteRejected(DCAPError)
    /// The platform's TCB status is not one genesis accepts (an out-of-date or revoked platform).
    case tcbStatusNotAccepted(TCBStatus)
    /// A PCK CRL posted to the EnclaveRegistry revoked the platform's certificate.
    case revoked

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
        case .noCollateral: return "DCAP evidence cannot be verified without collateral"
        case .quoteRejected(let e): return "DCAP quote rejected: \(e)"
        case .tcbStatusNotAccepted(let s): return "platform TCB status \(s.rawValue) is not accepted"
        case .revoked: return "the platform's PCK certificate is revoked by a CRL posted to the EnclaveRegistry"
        }
    }
}
