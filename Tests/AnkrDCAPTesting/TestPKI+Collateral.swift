import AnkrDCAP
import AnkrPrimitives

/// Collateral signed by the test PKI: CRLs signed by the root and the PCK CA, TCB info and QE identity signed by
/// the TCB signing key, with their issuer chains.
extension TestPKI {
    /// The collateral `spec` describes.
    public func collateral(_ spec: TestCollateralSpec) throws(TestPKIError) -> Collateral {
        let tcbInfo = spec.tcbInfoJSON
        let qeIdentity = spec.qeIdentityJSON
        return Collateral(
            pckCRLIssuerChain: pckCRLIssuerChain,
            rootCACRL: try rootCACRL(revoking: spec.revokedCASerials, thisUpdate: spec.rootCACRLThisUpdate,
                                     nextUpdate: spec.rootCACRLNextUpdate),
            pckCRL: try pckCRL(revoking: spec.revokedPCKSerials, thisUpdate: spec.pckCRLThisUpdate,
                               nextUpdate: spec.pckCRLNextUpdate),
            tcbInfoIssuerChain: tcbSigningChain, tcbInfo: tcbInfo, tcbInfoSignature: try signWithTCBSigningKey(tcbInfo),
            qeIdentityIssuerChain: tcbSigningChain, qeIdentity: qeIdentity,
            qeIdentitySignature: try signWithTCBSigningKey(qeIdentity))
    }

    /// Collateral under which `platform` has `status`, valid from `issueDate` to `nextUpdate`, its PCK CRL revoking
    /// `revokedPCKSerials`.
    public func collateral(for platform: TestPlatform, tee: TEEType = .sgx, status: TCBStatus = .upToDate,
                           advisoryIDs: [String] = [], issueDate: UInt64 = TestPKI.defaultIssueDate,
                           nextUpdate: UInt64 = TestPKI.defaultNextUpdate,
                           revokedPCKSerials: [[UInt8]] = []) throws(TestPKIError) -> Collateral {
        var spec = TestCollateralSpec(platform: platform, tee: tee, status: status, advisoryIDs: advisoryIDs,
                                      issueDate: issueDate, nextUpdate: nextUpdate)
        spec.revokedPCKSerials = revokedPCKSerials
        return try collateral(spec)
    }

    /// `collateral` in the JSON layout of the open-source DCAP verifiers (dcap-qvl's `QuoteCollateralV3`): PEM
    /// chains and JSON documents as strings, CRLs and signatures as lower-case hex. Written here rather than by
    /// `Collateral.json` so the independent check of the test PKI does not rest on the code under test.
    public static func json(of collateral: Collateral) -> [UInt8] {
        let fields: [(String, String)] = [
            ("pck_crl_issuer_chain", TestJSON.string(collateral.pckCRLIssuerChain)),
            ("root_ca_crl", TestJSON.string(collateral.rootCACRL.hex)),
            ("pck_crl", TestJSON.string(collateral.pckCRL.hex)),
            ("tcb_info_issuer_chain", TestJSON.string(collateral.tcbInfoIssuerChain)),
            ("tcb_info", TestJSON.string(collateral.tcbInfo)),
            ("tcb_info_signature", TestJSON.string(collateral.tcbInfoSignature.hex)),
            ("qe_identity_issuer_chain", TestJSON.string(collateral.qeIdentityIssuerChain)),
            ("qe_identity", TestJSON.string(collateral.qeIdentity)),
            ("qe_identity_signature", TestJSON.string(collateral.qeIdentitySignature.hex)),
        ]
        let text = "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        return Array(text.utf8)
    }

    /// The root CA's CRL (DER) revoking `serials`.
    public func rootCACRL(revoking serials: [[UInt8]] = [], thisUpdate: UInt64 = TestPKI.defaultIssueDate,
                          nextUpdate: UInt64 = TestPKI.defaultNextUpdate) throws(TestPKIError) -> [UInt8] {
        try CertificateRevocationList(issuer: rootCertificate, thisUpdate: thisUpdate, nextUpdate: nextUpdate,
                                      revokedSerials: serials).der(signedBy: rootKey)
    }

    /// The PCK CA's CRL (DER) revoking `serials`.
    public func pckCRL(revoking serials: [[UInt8]] = [], thisUpdate: UInt64 = TestPKI.defaultIssueDate,
                       nextUpdate: UInt64 = TestPKI.defaultNextUpdate) throws(TestPKIError) -> [UInt8] {
        try CertificateRevocationList(issuer: pckCACertificate, thisUpdate: thisUpdate, nextUpdate: nextUpdate,
                                      revokedSerials: serials).der(signedBy: pckCAKey)
    }
}
