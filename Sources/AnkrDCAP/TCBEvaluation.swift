import Crypto

/// The TCB half of quote verification: the collateral's TCB info and QE identity authenticated and fresh, then the
/// platform and the quoting enclave rated against them and the two ratings combined, in dcap-qvl 0.7.0's order.
public enum TCBEvaluation {
    /// Verifies both documents (signature by the given keys, which the caller has chained to the trusted root; strict
    /// reading; `issueDate ≤ time ≤ nextUpdate`; TCB info "SGX" or "TDX" and QE identity "QE" (v2) or "TD_QE" (v2, v3)
    /// for the platform's TEE), rates the quoting enclave and the platform, and combines them (the worse status; the
    /// platform's advisories then the quoting enclave's new ones). A combined status of Revoked is refused.
    public static func evaluate(collateral: Collateral,
                                tcbInfoSigningKey: P256.Signing.PublicKey,
                                qeIdentitySigningKey: P256.Signing.PublicKey,
                                platform: PlatformTCB,
                                qeReport: QEReportIdentity,
                                time: UInt64) throws(CollateralError) -> TCBVerdict {
        let tcbInfo = try TCBInfo(json: collateral.tcbInfo, signature: collateral.tcbInfoSignature, signingKey: tcbInfoSigningKey)
        try tcbInfo.checkValidity(at: time)
        let qeIdentity = try QEIdentity(json: collateral.qeIdentity, signature: collateral.qeIdentitySignature,
                                        signingKey: qeIdentitySigningKey)
        try qeIdentity.checkValidity(at: time)
        let expected: (id: String, versions: ClosedRange<Int64>) = platform.teeType == .sgx ? ("QE", 2...2) : ("TD_QE", 2...3)
        guard qeIdentity.id == expected.id, expected.versions.contains(qeIdentity.version) else {
            throw .wrongTEEType(.qeIdentity, id: "\(qeIdentity.id) v\(qeIdentity.version)", teeType: platform.teeType)
        }
        let qe = try qeIdentity.qeStatus(for: qeReport)
        let verdict = TCBVerdict(platform: try tcbInfo.platformStatus(for: platform), qe: qe)
        guard verdict.status != .revoked else { throw .revoked(advisoryIDs: verdict.advisoryIDs) }
        return verdict
    }
}
