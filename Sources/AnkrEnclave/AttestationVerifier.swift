import AnkrCrypto
import AnkrPrimitives
import Foundation

/// What verified evidence proves.
public struct AttestationClaims: Hashable, Sendable {
    public var format: AttestationFormat
    public var measurement: H256
    public var signer: H256
    public var platformID: H256
    public var debug: Bool
    public var reportData: [UInt8]
    public var timestamp: UInt64
    /// The enclave's key, proven bound to the report.
    public var enclaveKey: PublicKey
}

/// The rules evidence must meet; genesis provides them (`config.ankr.attestationRoots`,
/// `allowedMeasurements`, `allowSimulatedAttestation`).
public struct AttestationPolicy: Sendable {
    /// Attestation roots' public keys (33-byte compressed) whose platform certificates are trusted.
    public var trustedRoots: Set<[UInt8]>
    public var allowedMeasurements: Set<H256>
    public var allowSimulated: Bool
    public var allowDebug: Bool
    /// Evidence older than this is refused; nil accepts any age (evidence registered once, like an oracle key).
    public var maxAge: UInt64?
    /// Clock skew tolerated for timestamps in the future.
    public var maxClockSkew: UInt64

    public init(trustedRoots: Set<[UInt8]>, allowedMeasurements: Set<H256>, allowSimulated: Bool = false, allowDebug: Bool = false,
                maxAge: UInt64? = 3600, maxClockSkew: UInt64 = 60) {
        self.trustedRoots = trustedRoots; self.allowedMeasurements = allowedMeasurements; self.allowSimulated = allowSimulated
        self.allowDebug = allowDebug; self.maxAge = maxAge; self.maxClockSkew = maxClockSkew
    }
}

/// The seam between evidence formats and policy.
public protocol AttestationVerifier: Sendable {
    /// Verifies evidence at time `now`; when `expectedUserData` is given, the second half of the
    /// report data must equal it (a freshness challenge or a statement hash).
    func verify(_ evidence: AttestationEvidence, now: UInt64, expectedUserData: [UInt8]?) throws -> AttestationClaims
}

/// Checks evidence against an ``AttestationPolicy``. Every check runs; none is optional.
public struct PolicyAttestationVerifier: AttestationVerifier {
    public let policy: AttestationPolicy

    public init(policy: AttestationPolicy) { self.policy = policy }

    public func verify(_ evidence: AttestationEvidence, now: UInt64, expectedUserData: [UInt8]? = nil) throws -> AttestationClaims {
        switch evidence.format {
        case .simulated:
            guard policy.allowSimulated else { throw AttestationError.formatNotAllowed(.simulated) }
        case .sgxDCAP:
            // Quote parsing and Intel's collateral chain are not built yet (see AnkrEnclave's docs).
            throw AttestationError.unsupportedBackend(.sgxDCAP)
        }
        // 1. The platform key is certified by a trusted root.
        let certHash = AttestationEvidence.certificateHash(platformID: evidence.platformID, platformKey: evidence.platformKey)
        guard let cert = try? Signature(rsv: evidence.platformCertificate),
              let root = try? cert.recoverPublicKey(hash: certHash), policy.trustedRoots.contains(root.compressed) else {
            throw AttestationError.untrustedRoot
        }
        // 2. The report is signed by that platform key.
        guard let sig = try? Signature(rsv: evidence.reportSignature),
              let signer = try? sig.recoverPublicKey(hash: evidence.report.signingHash), signer.compressed == evidence.platformKey else {
            throw AttestationError.badReportSignature
        }
        // 3. The code is one genesis allows, and not a debug build unless allowed.
        guard policy.allowedMeasurements.contains(evidence.report.measurement) else {
            throw AttestationError.measurementNotAllowed(evidence.report.measurement)
        }
        guard policy.allowDebug || !evidence.report.debug else { throw AttestationError.debugNotAllowed }
        // 4. The enclave key is the one the report binds.
        guard let enclaveKey = try? PublicKey(evidence.enclaveKey),
              Array(evidence.report.reportData.prefix(32)) == Keccak256.hash(enclaveKey.compressed) else {
            throw AttestationError.keyNotBound
        }
        // 5. Fresh enough.
        let t = evidence.report.timestamp
        if t > now, t - now > policy.maxClockSkew { throw AttestationError.fromTheFuture(seconds: t - now) }
        if let maxAge = policy.maxAge, now > t, now - t > maxAge { throw AttestationError.stale(age: now - t, limit: maxAge) }
        if let expected = expectedUserData, Array(evidence.report.reportData.suffix(32)) != expected {
            throw AttestationError.unexpectedUserData
        }
        return AttestationClaims(format: evidence.format, measurement: evidence.report.measurement, signer: evidence.report.signer,
                                 platformID: evidence.platformID, debug: evidence.report.debug, reportData: evidence.report.reportData,
                                 timestamp: t, enclaveKey: enclaveKey)
    }
}
