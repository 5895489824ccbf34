import AnkrDCAP

/// The seam between evidence formats and policy.
public protocol AttestationVerifier: Sendable {
    /// Verifies evidence at time `now`; when `expectedUserData` is given, the second half of the
    /// report data must equal it (a freshness challenge or a statement hash). DCAP evidence is
    /// verified with `collateral` (refused without it); simulated evidence needs none.
    func verify(_ evidence: AttestationEvidence, now: UInt64, expectedUserData: [UInt8]?, collateral: Collateral?) throws -> AttestationClaims
}

extension AttestationVerifier {
    /// Verifies evidence that needs no collateral (simulated); DCAP evidence is refused with ``AttestationError/noCollateral``.
    public func verify(_ evidence: AttestationEvidence, now: UInt64, expectedUserData: [UInt8]?) throws -> AttestationClaims {
        try verify(evidence, now: now, expectedUserData: expectedUserData, collateral: nil)
    }
}
