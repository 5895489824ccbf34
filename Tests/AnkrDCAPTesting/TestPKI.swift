import Crypto
import Foundation
import SwiftASN1
import X509

/// A test PKI shaped like Intel's DCAP PKI: a self-signed root ("Test SGX Root CA"), the PCK platform CA and the
/// TCB signing certificate under it, PCK certificates for platforms under the CA, CRLs of both CAs, and signed TCB
/// info and QE identity. Tests verify quotes against `rootPublicKey` instead of Intel's pinned key.
///
/// Keys and serial numbers derive from `seed`, so the same seed gives the same root key in every run.
public struct TestPKI: Sendable {
    /// The validity of every certificate unless a test asks otherwise: 2020-01-01 through 2049-12-31.
    public static let defaultValidity: ClosedRange<UInt64> = 1_577_836_800...2_524_607_999
    /// The default issue date of TCB info, QE identity and CRLs: 2026-01-01T00:00:00Z.
    public static let defaultIssueDate: UInt64 = 1_767_225_600
    /// The default next update of TCB info, QE identity and CRLs: 2026-02-01T00:00:00Z.
    public static let defaultNextUpdate: UInt64 = 1_769_904_000
    /// A verification time inside every default window: 2026-01-15T00:00:00Z.
    public static let referenceTime: UInt64 = 1_768_435_200

    /// The seed every key and serial number of this PKI derives from.
    public let seed: UInt64
    let rootKey: P256.Signing.PrivateKey
    let pckCAKey: P256.Signing.PrivateKey
    let tcbSigningKey: P256.Signing.PrivateKey
    /// The self-signed root, "Test SGX Root CA".
    public let rootCertificate: Certificate
    /// The PCK platform CA, issuer of PCK certificates and of the PCK CRL.
    public let pckCACertificate: Certificate
    /// The TCB signing certificate, signer of TCB info and QE identity.
    public let tcbSigningCertificate: Certificate

    /// Mints the root, the PCK platform CA and the TCB signing certificate.
    /// - Parameters:
    ///   - seed: every key and serial number derives from it.
    ///   - rootValidity, pckCAValidity, tcbSigningValidity: the certificates' validity (unix seconds), to mint
    ///     expired or not-yet-valid ones.
    public init(seed: UInt64 = 1, rootValidity: ClosedRange<UInt64> = TestPKI.defaultValidity,
                pckCAValidity: ClosedRange<UInt64> = TestPKI.defaultValidity,
                tcbSigningValidity: ClosedRange<UInt64> = TestPKI.defaultValidity) throws(TestPKIError) {
        self.seed = seed
        rootKey = try SeededKeys.key(seed: seed, label: "root")
        pckCAKey = try SeededKeys.key(seed: seed, label: "pck-ca")
        tcbSigningKey = try SeededKeys.key(seed: seed, label: "tcb-signing")
        let rootName = try Self.name("Test SGX Root CA")
        rootCertificate = try Self.mint(
            subject: rootName, serial: SeededKeys.serial(seed: seed, label: "root"), key: rootKey.publicKey,
            validity: rootValidity, issuer: rootName, issuerKey: rootKey,
            role: .certificateAuthority(pathLength: 1))
        pckCACertificate = try Self.mint(
            subject: try Self.name("Test SGX PCK Platform CA"), serial: SeededKeys.serial(seed: seed, label: "pck-ca"),
            key: pckCAKey.publicKey, validity: pckCAValidity, issuer: rootName, issuerKey: rootKey,
            role: .certificateAuthority(pathLength: 0))
        tcbSigningCertificate = try Self.mint(
            subject: try Self.name("Test SGX TCB Signing"), serial: SeededKeys.serial(seed: seed, label: "tcb-signing"),
            key: tcbSigningKey.publicKey, validity: tcbSigningValidity, issuer: rootName, issuerKey: rootKey,
            role: .signer(extensions: []))
    }

    /// The root's P-256 public key, uncompressed (65 bytes, 0x04 ‖ x ‖ y): what a verifier or a test genesis trusts.
    public var rootPublicKey: [UInt8] { Array(rootKey.publicKey.x963Representation) }

    /// The root certificate, DER.
    public var rootCertificateDER: [UInt8] { Self.der(rootCertificate) }

    /// The root certificate, PEM.
    public var rootCertificatePEM: String { Self.pem(rootCertificate) }

    /// The PCK CA certificate's serial number (big-endian, as in a CRL entry), to revoke it in the root CA CRL.
    public var pckCASerial: [UInt8] { Array(pckCACertificate.serialNumber.bytes) }

    /// The TCB signing certificate's serial number, to revoke it in the root CA CRL.
    public var tcbSigningSerial: [UInt8] { Array(tcbSigningCertificate.serialNumber.bytes) }

    /// PEM chain PCK CA ‖ root: the collateral's `pck_crl_issuer_chain`.
    public var pckCRLIssuerChain: String { Self.pem(pckCACertificate) + Self.pem(rootCertificate) }

    /// PEM chain TCB signing ‖ root: the collateral's `tcb_info_issuer_chain` and `qe_identity_issuer_chain`.
    public var tcbSigningChain: String { Self.pem(tcbSigningCertificate) + Self.pem(rootCertificate) }

    /// Signs `text` (its exact UTF-8 bytes) with the TCB signing key: ECDSA-P256 over SHA-256, raw r ‖ s (64 bytes),
    /// as Intel signs TCB info and QE identity.
    public func signWithTCBSigningKey(_ text: String) throws(TestPKIError) -> [UInt8] {
        do {
            return Array(try tcbSigningKey.signature(for: Array(text.utf8)).rawRepresentation)
        } catch {
            throw .notSigned(what: "a collateral document")
        }
    }

    /// What a minted certificate is for: a CA (cert and CRL signing) or a signer (digital signature), plus extensions.
    enum CertificateRole {
        case certificateAuthority(pathLength: Int)
        case signer(extensions: [Certificate.Extension])
    }

    /// The distinguished name layout of Intel's DCAP certificates (CN, O, L, ST, C) under a test organisation.
    static func name(_ commonName: String) throws(TestPKIError) -> DistinguishedName {
        do {
            return try DistinguishedName {
                CommonName(commonName)
                OrganizationName("Ankr Test PKI")
                LocalityName("Santa Clara")
                StateOrProvinceName("CA")
                CountryName("US")
            }
        } catch {
            throw .notEncodable(what: "the name \(commonName)")
        }
    }

    /// Mints an X.509 v3 certificate signed with ECDSA-P256/SHA-256 carrying the extensions Intel's certificates
    /// carry: authority and subject key identifiers, critical key usage and basic constraints.
    static func mint(subject: DistinguishedName, serial: [UInt8], key: P256.Signing.PublicKey,
                     validity: ClosedRange<UInt64>, issuer: DistinguishedName,
                     issuerKey: P256.Signing.PrivateKey, role: CertificateRole) throws(TestPKIError) -> Certificate {
        do {
            let publicKey = Certificate.PublicKey(key)
            let issuerIdentifier = SubjectKeyIdentifier(hash: Certificate.PublicKey(issuerKey.publicKey)).keyIdentifier
            var extensions = Certificate.Extensions()
            try extensions.append(Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: issuerIdentifier),
                                                        critical: false))
            try extensions.append(Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false))
            switch role {
            case .certificateAuthority(let pathLength):
                try extensions.append(Certificate.Extension(KeyUsage(keyCertSign: true, cRLSign: true), critical: true))
                try extensions.append(Certificate.Extension(
                    BasicConstraints.isCertificateAuthority(maxPathLength: pathLength), critical: true))
            case .signer(let extra):
                try extensions.append(Certificate.Extension(KeyUsage(digitalSignature: true, nonRepudiation: true),
                                                            critical: true))
                try extensions.append(Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true))
                for ext in extra { try extensions.append(ext) }
            }
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(bytes: serial), publicKey: publicKey,
                notValidBefore: Date(timeIntervalSince1970: TimeInterval(validity.lowerBound)),
                notValidAfter: Date(timeIntervalSince1970: TimeInterval(validity.upperBound)),
                issuer: issuer, subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                issuerPrivateKey: Certificate.PrivateKey(issuerKey))
        } catch {
            throw .certificateNotMinted(subject: subject.description)
        }
    }

    /// A certificate's DER encoding. Serializing a certificate swift-certificates just minted cannot fail, and a
    /// failure would surface as an empty chain every verifier rejects.
    static func der(_ certificate: Certificate) -> [UInt8] {
        var coder = DER.Serializer()
        do { try coder.serialize(certificate) } catch { return [] }
        return coder.serializedBytes
    }

    /// A certificate's PEM block with its trailing newline, ready to concatenate into a chain.
    static func pem(_ certificate: Certificate) -> String {
        let document = PEMDocument(type: "CERTIFICATE", derBytes: der(certificate))
        return document.pemString + "\n"
    }
}
