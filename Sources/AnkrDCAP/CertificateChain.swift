import Crypto
import Foundation
import SwiftASN1
import X509

/// A PEM certificate chain from a quote or collateral, leaf first, verified to the pinned root key: each certificate
/// signed by the next and the top one by the root key, names linked, CAs marked as CAs, valid at the time, not revoked.
/// The root key is the trust anchor, so a root certificate in the PEM (Intel ships one) is not needed and not read —
/// as in dcap-qvl, whose webpki anchors on its own copy of the root.
struct CertificateChain: Sendable {
    let kind: CertificateChainKind
    /// The certificates below the root, leaf first.
    let certificates: [Certificate]
    /// The P-256 key of each certificate, in chain order.
    let keys: [P256.Signing.PublicKey]
    /// Whether the leaf must be an end entity (a PCK or TCB signing certificate), not a CA (the PCK CRL's issuer).
    let leafIsEndEntity: Bool

    var leaf: Certificate { certificates[0] }
    var leafKey: P256.Signing.PublicKey { keys[0] }

    /// Reads the first `needed` certificates of `pem` (the PCK chain needs leaf and CA, the others their leaf); they
    /// must be ECDSA-SHA256 with P-256 keys. Later blocks are left unread.
    init(pem: String, kind: CertificateChainKind, needed: Int) throws(DCAPError) {
        self.kind = kind
        leafIsEndEntity = kind != .pckCRLIssuer
        guard let blocks = PEMBlocks.decode(pem), !blocks.isEmpty else { throw .chainNotPEM(kind) }
        guard blocks.count >= needed else { throw .chainTooShort(kind, count: blocks.count, needed: needed) }
        var certificates: [Certificate] = []
        var keys: [P256.Signing.PublicKey] = []
        for (index, der) in blocks.prefix(needed).enumerated() {
            guard let certificate = try? Certificate(derEncoded: der) else { throw .certificateMalformed(kind, index: index) }
            guard certificate.signatureAlgorithm == .ecdsaWithSHA256, let key = P256.Signing.PublicKey(certificate.publicKey) else {
                throw .unsupportedCertificateAlgorithm(kind, index: index)
            }
            certificates.append(certificate)
            keys.append(key)
        }
        self.certificates = certificates
        self.keys = keys
    }

    /// Checks the chain's structure and signatures up to `root`, then each certificate's validity at `time`, then
    /// revocation: every certificate needs a CRL from its issuer among `crls` that does not list it.
    func verify(root: Certificate.PublicKey, time: Int64, crls: [CertificateRevocationList]) throws(DCAPError) {
        try verifySignatures(root: root)
        try checkValidity(at: time)
        try checkRevocation(crls)
    }

    /// Each certificate is signed by the next, the top one by `root`; names link up; issuers are CAs.
    func verifySignatures(root: Certificate.PublicKey) throws(DCAPError) {
        let top = certificates.count - 1
        for index in 0...top {
            let certificate = certificates[index]
            if index == 0 && leafIsEndEntity {
                guard !Self.isCA(certificate) else { throw .leafIsCertificateAuthority(kind) }
            }
            if index == top {
                guard root.isValidSignature(certificate.signature, for: certificate) else { throw .untrustedRoot(kind) }
                continue
            }
            let issuer = certificates[index + 1]
            guard certificate.issuer == issuer.subject else { throw .issuerMismatch(kind, index: index) }
            try checkAuthority(index: index + 1)
            guard issuer.publicKey.isValidSignature(certificate.signature, for: certificate) else {
                throw .certificateSignatureInvalid(kind, index: index)
            }
        }
    }

    /// Every certificate is valid at `time`.
    func checkValidity(at time: Int64) throws(DCAPError) {
        for (index, certificate) in certificates.enumerated() {
            let notBefore = Int64(certificate.notValidBefore.timeIntervalSince1970.rounded(.down))
            let notAfter = Int64(certificate.notValidAfter.timeIntervalSince1970.rounded(.down))
            guard time >= notBefore else { throw .certificateNotYetValid(kind, index: index, notBefore: notBefore) }
            guard time <= notAfter else { throw .certificateExpired(kind, index: index, notAfter: notAfter) }
        }
    }

    /// Every certificate has a CRL from its issuer among `crls`, which does not list it.
    func checkRevocation(_ crls: [CertificateRevocationList]) throws(DCAPError) {
        for (index, certificate) in certificates.enumerated() {
            guard let crl = crls.first(where: { $0.issuer == certificate.issuer }) else {
                throw .revocationStatusUnknown(kind, index: index)
            }
            guard !crl.isRevoked(certificate.serialNumber) else {
                throw .certificateRevoked(kind, index: index, serial: Array(certificate.serialNumber.bytes))
            }
        }
    }

    /// Certificate `index` signs the one below it: it must be a CA allowed to sign certificates, whose path
    /// length admits the `index - 1` CAs between it and the leaf.
    private func checkAuthority(index: Int) throws(DCAPError) {
        let certificate = certificates[index]
        let constraints: BasicConstraints?, usage: KeyUsage?
        do {
            constraints = try certificate.extensions.basicConstraints
            usage = try certificate.extensions.keyUsage
        } catch {
            throw .notACertificateAuthority(kind, index: index)
        }
        guard case .isCertificateAuthority(let maxPathLength)? = constraints, usage?.keyCertSign ?? true,
              maxPathLength.map({ $0 >= index - 1 }) ?? true else {
            throw .notACertificateAuthority(kind, index: index)
        }
    }

    private static func isCA(_ certificate: Certificate) -> Bool {
        if case .isCertificateAuthority? = try? certificate.extensions.basicConstraints { return true }
        return false
    }
}
