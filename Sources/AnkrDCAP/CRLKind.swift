/// Which certificate revocation list of the collateral an error is about.
public enum CRLKind: String, Sendable, Equatable {
    /// `root_ca_crl`: issued by the root, lists revoked intermediate CAs.
    case rootCA = "root CA CRL"
    /// `pck_crl`: issued by the PCK platform or processor CA, lists revoked PCK certificates.
    case pck = "PCK CRL"
}
