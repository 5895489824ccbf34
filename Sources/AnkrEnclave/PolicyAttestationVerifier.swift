import AnkrCrypto
import AnkrDCAP
import AnkrPrimitives

/// Checks evidence against an ``AttestationPolicy``. Every check runs; none is optional.
///
/// The format's backend proves the report genuine (simulated: the platform certificate and report
/// signature; DCAP: the quote through ``QuoteVerifier`` with the collateral, then the TCB status);
/// the same policy checks follow for every format: the code is allowed, not a debug build unless
/// allowed, the report data binds the enclave key, the report is fresh and carries the expected user data.
public struct PolicyAttestationVerifier: AttestationVerifier {
    public let policy: AttestationPolicy

    public init(policy: AttestationPolicy) { self.policy = policy }

    public func verify(_ evidence: AttestationEvidence, now: UInt64, expectedUserData: [UInt8]? = nil,
                       collateral: Collateral? = nil) throws -> AttestationClaims {
        // 1–2. The report is genuine: the backend proves it and says which platform made it.
        let proven = evidence.format.isDCAP ? try verifyQuote(evidence, now: now, collateral: collateral) : try verifySimulated(evidence)
        let report = proven.report
        // 3. The code is one genesis allows, and not a debug build unless allowed.
        guard policy.allowedMeasurements.contains(report.measurement) || allowedByRule(proven.quote?.body) else {
            throw AttestationError.measurementNotAllowed(report.measurement)
        }
        guard policy.allowDebug || !report.debug else { throw AttestationError.debugNotAllowed }
        // 4. The enclave key is the one the report binds.
        guard let enclaveKey = try? PublicKey(evidence.enclaveKey),
              Array(report.reportData.prefix(32)) == Keccak256.hash(enclaveKey.compressed) else {
            throw AttestationError.keyNotBound
        }
        // 5. Fresh enough (a quote has no time of its own: the collateral's window at `now` is its freshness).
        let t = proven.quote == nil ? report.timestamp : now
        if t > now, t - now > policy.maxClockSkew { throw AttestationError.fromTheFuture(seconds: t - now) }
        if let maxAge = policy.maxAge, now > t, now - t > maxAge { throw AttestationError.stale(age: now - t, limit: maxAge) }
        if let expected = expectedUserData, Array(report.reportData.suffix(32)) != expected {
            throw AttestationError.unexpectedUserData
        }
        var claims = AttestationClaims(format: evidence.format, measurement: report.measurement, signer: report.signer,
                                       platformID: proven.platformID, debug: report.debug, reportData: report.reportData,
                                       timestamp: t, enclaveKey: enclaveKey)
        if let q = proven.quote {
            claims.teeType = q.teeType; claims.tcbStatus = q.status; claims.advisoryIDs = q.advisoryIDs
            claims.pckSerial = q.pckSerial; claims.pckIssuer = q.pckIssuer
            if case .sgx(let r) = q.body { claims.isvProdID = r.isvProdID; claims.isvSVN = r.isvSVN }
        }
        return claims
    }

    /// A report a backend has proven genuine.
    struct ProvenReport {
        var report: EnclaveReport
        var platformID: H256
        /// The verified quote behind a DCAP report.
        var quote: VerifiedQuote?
    }

    /// Simulated evidence: the platform key is certified by a trusted root and signed the report.
    private func verifySimulated(_ evidence: AttestationEvidence) throws -> ProvenReport {
        guard policy.allowSimulated else { throw AttestationError.formatNotAllowed(.simulated) }
        let certHash = AttestationEvidence.certificateHash(platformID: evidence.platformID, platformKey: evidence.platformKey)
        guard let cert = try? Signature(rsv: evidence.platformCertificate),
              let root = try? cert.recoverPublicKey(hash: certHash), policy.trustedRoots.contains(root.compressed) else {
            throw AttestationError.untrustedRoot
        }
        guard let sig = try? Signature(rsv: evidence.reportSignature),
              let signer = try? sig.recoverPublicKey(hash: evidence.report.signingHash), signer.compressed == evidence.platformKey else {
            throw AttestationError.badReportSignature
        }
        return ProvenReport(report: evidence.report, platformID: evidence.platformID, quote: nil)
    }
}
