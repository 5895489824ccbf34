import Crypto
import X509

/// The collateral's trust material, checked to the trusted root at one time: the root CA CRL (signed by the root key,
/// not expired) and the keys that sign the TCB info and the QE identity (their chains verified against the root CA
/// CRL). The PCK CRL is read here but authenticated by whichever CA is meant to have issued it: the quote's PCK CA
/// (as dcap-qvl does, leaving `pck_crl_issuer_chain` unused) or, for collateral on its own, `pck_crl_issuer_chain`.
struct VerifiedIssuers {
    let rootCACRL: CertificateRevocationList
    let pckCRL: CertificateRevocationList
    let tcbInfoSigningKey: P256.Signing.PublicKey
    let qeIdentitySigningKey: P256.Signing.PublicKey

    /// Checks in dcap-qvl's order where it decides which error a time outside a window gets: the root CA CRL's
    /// expiry first. CRL start dates (thisUpdate) are left to `checkCRLsIssued(by:)`.
    init(_ collateral: Collateral, root: P256.Signing.PublicKey, time: Int64) throws(DCAPError) {
        let anchor = Certificate.PublicKey(root)
        let rootCACRL = try CertificateRevocationList(der: collateral.rootCACRL, kind: .rootCA)
        let pckCRL = try CertificateRevocationList(der: collateral.pckCRL, kind: .pck)
        try rootCACRL.verifySignature(key: root)
        try rootCACRL.checkNotExpired(at: time)

        let tcbInfoChain = try CertificateChain(pem: collateral.tcbInfoIssuerChain, kind: .tcbInfoIssuer, needed: 1)
        try tcbInfoChain.verify(root: anchor, time: time, crls: [rootCACRL])
        let qeIdentityChain = try CertificateChain(pem: collateral.qeIdentityIssuerChain, kind: .qeIdentityIssuer, needed: 1)
        try qeIdentityChain.verify(root: anchor, time: time, crls: [rootCACRL])

        self.rootCACRL = rootCACRL
        self.pckCRL = pckCRL
        self.tcbInfoSigningKey = tcbInfoChain.leafKey
        self.qeIdentitySigningKey = qeIdentityChain.leafKey
    }

    /// Checks that the CA `issuer` (with `key`) issued the PCK CRL and that it has not expired.
    func authenticatePCKCRL(issuer: Certificate, key: P256.Signing.PublicKey, time: Int64) throws(DCAPError) {
        try pckCRL.verifySignature(issuerName: issuer.subject, key: key)
        try pckCRL.checkNotExpired(at: time)
    }

    /// Both CRLs were issued by `time`. dcap-qvl (webpki) checks only nextUpdate, so this comes after every check it
    /// makes and changes no reason it would give.
    func checkCRLsIssued(by time: Int64) throws(DCAPError) {
        try rootCACRL.checkIssued(by: time)
        try pckCRL.checkIssued(by: time)
    }
}
