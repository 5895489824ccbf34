/// Which certificate chain of a quote or its collateral an error is about. Each chain ends in the trusted root.
public enum CertificateChainKind: String, Sendable, Equatable {
    /// The PCK chain carried in the quote: PCK leaf, PCK platform/processor CA, root.
    case pck = "PCK certificate chain"
    /// `pck_crl_issuer_chain`: the CA that signed the PCK CRL, root.
    case pckCRLIssuer = "PCK CRL issuer chain"
    /// `tcb_info_issuer_chain`: the TCB signing certificate, root.
    case tcbInfoIssuer = "TCB info issuer chain"
    /// `qe_identity_issuer_chain`: the TCB signing certificate, root.
    case qeIdentityIssuer = "QE identity issuer chain"
}
