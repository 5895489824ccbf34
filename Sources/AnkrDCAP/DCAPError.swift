import AnkrPrimitives

/// Why a DCAP quote or its collateral was refused: one case per check, each naming the input that failed it.
public enum DCAPError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: quote layout
    /// The quote is larger than any real quote (`Quote.maximumSize`).
    case quoteTooLarge(size: Int, limit: Int)
    /// `field` needs `needed` bytes at `offset` but only `available` remain.
    case quoteTruncated(field: QuoteField, offset: Int, needed: Int, available: Int)
    /// Quote versions 3 (SGX), 4 and 5 (TDX) are supported.
    case unsupportedQuoteVersion(UInt16)
    /// Only ECDSA-P256 attestation keys (type 2) are supported.
    case unsupportedAttestationKeyType(UInt16)
    /// The header's TEE type is neither SGX (0) nor TDX (0x81).
    case unsupportedTEEType(UInt32)
    /// The quote version does not carry this TEE's report (SGX needs version 3, TDX 4 or 5).
    case teeTypeNotAllowedForVersion(version: UInt16, teeType: TEEType)
    /// The quoting enclave's vendor is not Intel.
    case unknownQEVendor([UInt8])
    /// A version 5 body descriptor names a body type other than a TD report 1.0 or 1.5.
    case unsupportedBodyType(UInt16)
    /// A version 5 body descriptor's size disagrees with its type's fixed size.
    case bodySizeMismatch(bodyType: UInt16, size: UInt32)
    /// The signature data's declared size does not match the bytes that follow it.
    case authDataSizeMismatch(declared: UInt32, available: Int)
    /// Certification data of another type than expected (6 = QE report data, 5 = PCK chain).
    case unsupportedCertificationDataType(UInt16, expected: UInt16)

    // MARK: certificates
    /// The chain's text holds no PEM certificate or is not PEM.
    case chainNotPEM(CertificateChainKind)
    /// The chain has `count` certificates where it needs at least `needed` below the root.
    case chainTooShort(CertificateChainKind, count: Int, needed: Int)
    /// Certificate `index` (0 = leaf) is not a well-formed X.509 certificate.
    case certificateMalformed(CertificateChainKind, index: Int)
    /// Certificate `index` is not signed with ECDSA-SHA256 or its key is not P-256.
    case unsupportedCertificateAlgorithm(CertificateChainKind, index: Int)
    /// The chain's top certificate is not signed by the trusted root key.
    case untrustedRoot(CertificateChainKind)
    /// The verifier's trusted root key is not an uncompressed P-256 point.
    case trustedRootKeyInvalid
    /// Certificate `index` names an issuer other than the subject of the certificate after it.
    case issuerMismatch(CertificateChainKind, index: Int)
    /// The chain's leaf is a certificate authority, not an end entity.
    case leafIsCertificateAuthority(CertificateChainKind)
    /// Certificate `index` signs others but is not a certificate authority (basic constraints, key usage).
    case notACertificateAuthority(CertificateChainKind, index: Int)
    /// Certificate `index`'s signature does not verify under its issuer's key.
    case certificateSignatureInvalid(CertificateChainKind, index: Int)
    /// Certificate `index` is not valid before `notBefore` (unix seconds).
    case certificateNotYetValid(CertificateChainKind, index: Int, notBefore: Int64)
    /// Certificate `index` expired at `notAfter` (unix seconds).
    case certificateExpired(CertificateChainKind, index: Int, notAfter: Int64)
    /// Certificate `index`'s serial is listed in its issuer's CRL.
    case certificateRevoked(CertificateChainKind, index: Int, serial: [UInt8])
    /// No CRL of the collateral is issued by certificate `index`'s issuer, so its revocation status is unknown.
    case revocationStatusUnknown(CertificateChainKind, index: Int)

    // MARK: CRLs
    /// The CRL is not a well-formed DER CertificateList.
    case crlMalformed(CRLKind)
    /// The CRL is not signed with ECDSA-SHA256.
    case crlUnsupportedAlgorithm(CRLKind)
    /// The CRL's issuer is not the certificate that should have issued it.
    case crlIssuerMismatch(CRLKind)
    /// The CRL's signature does not verify under its issuer's key.
    case crlSignatureInvalid(CRLKind)
    /// The CRL was issued (thisUpdate) after the verification time.
    case crlNotYetValid(CRLKind, thisUpdate: Int64)
    /// The CRL's nextUpdate is before the verification time.
    case crlExpired(CRLKind, nextUpdate: Int64)
    /// Posted collateral's PCK CRL is issued by the root itself (it must come from a PCK CA): the root CA's
    /// own CRL passed off as a PCK CRL would make every quote's PCK CRL check fail.
    case pckCRLIssuedByRoot
    /// Posted collateral's QE identity is for another TEE than its TCB info (`QE` goes with SGX, `TD_QE` with TDX).
    case qeIdentityForAnotherTEE(tcbInfo: TEEType, qeIdentity: String)

    // MARK: PCK certificate
    /// The PCK leaf has no SGX extension (OID 1.2.840.113741.1.13.1).
    case pckExtensionMissing
    /// The SGX extension's `field` is absent, duplicated or of the wrong type or length.
    case pckExtensionMalformed(field: String)

    // MARK: signatures and bindings
    /// The QE report's signature does not verify under the PCK leaf key.
    case qeReportSignatureInvalid
    /// The QE report data does not hold SHA-256(attestation key ‖ QE authentication data).
    case qeReportDataMismatch
    /// The attestation key is not a point on P-256.
    case attestationKeyInvalid
    /// The quote's signature over header and body does not verify under the attestation key.
    case quoteSignatureInvalid

    // MARK: report attributes
    /// The TD attributes set bits that are reserved.
    case tdAttributesReserved
    /// The TD does not set SEPT_VE_DISABLE, which every production TD must.
    case septVEDisableNotSet
    /// A TD report 1.5 names a service TD (MRSERVICETD non-zero), which is not accepted.
    case serviceTDNotAllowed
    /// The enclave or TD runs in debug mode and the verifier was not told to allow it.
    case debugNotAllowed(TEEType)

    // MARK: collateral
    /// TCB info, QE identity or the collateral JSON was refused.
    case collateral(CollateralError)

    public var description: String {
        switch self {
        case .quoteTooLarge(let size, let limit): return "quote of \(size) bytes exceeds the \(limit)-byte limit"
        case .quoteTruncated(let field, let offset, let needed, let available):
            return "quote truncated in the \(field.rawValue) at offset \(offset): needs \(needed) bytes, \(available) left"
        case .unsupportedQuoteVersion(let v): return "unsupported quote version \(v)"
        case .unsupportedAttestationKeyType(let t): return "unsupported attestation key type \(t) (only ECDSA-P256 = 2)"
        case .unsupportedTEEType(let t): return "unsupported TEE type 0x\(String(t, radix: 16))"
        case .teeTypeNotAllowedForVersion(let v, let tee): return "a version \(v) quote cannot carry a \(tee.rawValue) report"
        case .unknownQEVendor(let id): return "unknown QE vendor id \(Hex.encode(id))"
        case .unsupportedBodyType(let t): return "unsupported quote body type \(t)"
        case .bodySizeMismatch(let t, let size): return "quote body of type \(t) declares \(size) bytes"
        case .authDataSizeMismatch(let declared, let available):
            return "signature data declares \(declared) bytes but \(available) follow"
        case .unsupportedCertificationDataType(let t, let expected):
            return "certification data type \(t), expected \(expected)"
        case .chainNotPEM(let chain): return "\(chain.rawValue) is not PEM"
        case .chainTooShort(let chain, let count, let needed):
            return "\(chain.rawValue) has \(count) certificates, needs \(needed) below the root"
        case .certificateMalformed(let chain, let i): return "certificate \(i) of the \(chain.rawValue) is malformed"
        case .unsupportedCertificateAlgorithm(let chain, let i):
            return "certificate \(i) of the \(chain.rawValue) is not ECDSA-SHA256 with a P-256 key"
        case .untrustedRoot(let chain): return "\(chain.rawValue) is not signed by the trusted root"
        case .trustedRootKeyInvalid: return "the trusted root key is not an uncompressed P-256 point"
        case .issuerMismatch(let chain, let i):
            return "certificate \(i) of the \(chain.rawValue) names another issuer than the next certificate"
        case .leafIsCertificateAuthority(let chain): return "the leaf of the \(chain.rawValue) is a certificate authority"
        case .notACertificateAuthority(let chain, let i):
            return "certificate \(i) of the \(chain.rawValue) is not a certificate authority"
        case .certificateSignatureInvalid(let chain, let i):
            return "certificate \(i) of the \(chain.rawValue) has an invalid signature"
        case .certificateNotYetValid(let chain, let i, let notBefore):
            return "certificate \(i) of the \(chain.rawValue) is not valid before \(notBefore)"
        case .certificateExpired(let chain, let i, let notAfter):
            return "certificate \(i) of the \(chain.rawValue) expired at \(notAfter)"
        case .certificateRevoked(let chain, let i, let serial):
            return "certificate \(i) of the \(chain.rawValue) (serial \(Hex.encode(serial))) is revoked"
        case .revocationStatusUnknown(let chain, let i):
            return "no CRL covers certificate \(i) of the \(chain.rawValue)"
        case .crlMalformed(let crl): return "\(crl.rawValue) is malformed"
        case .crlUnsupportedAlgorithm(let crl): return "\(crl.rawValue) is not signed with ECDSA-SHA256"
        case .crlIssuerMismatch(let crl): return "\(crl.rawValue) is not issued by the expected CA"
        case .crlSignatureInvalid(let crl): return "\(crl.rawValue) has an invalid signature"
        case .crlNotYetValid(let crl, let thisUpdate): return "\(crl.rawValue) is not valid before \(thisUpdate)"
        case .crlExpired(let crl, let nextUpdate): return "\(crl.rawValue) expired at \(nextUpdate)"
        case .pckCRLIssuedByRoot: return "the PCK CRL is issued by the root CA, not by a PCK CA"
        case .qeIdentityForAnotherTEE(let tee, let id): return "the QE identity \(id) is not for the TCB info's TEE (\(tee.rawValue))"
        case .pckExtensionMissing: return "PCK certificate has no SGX extension"
        case .pckExtensionMalformed(let field): return "PCK certificate SGX extension: malformed \(field)"
        case .qeReportSignatureInvalid: return "QE report signature is invalid"
        case .qeReportDataMismatch: return "QE report data does not bind the attestation key and QE authentication data"
        case .attestationKeyInvalid: return "attestation key is not a P-256 point"
        case .quoteSignatureInvalid: return "quote signature is invalid"
        case .tdAttributesReserved: return "TD attributes set reserved bits"
        case .septVEDisableNotSet: return "TD attributes do not set SEPT_VE_DISABLE"
        case .serviceTDNotAllowed: return "TD report names a service TD"
        case .debugNotAllowed(let tee): return "\(tee.rawValue) \(tee == .sgx ? "enclave" : "TD") runs in debug mode"
        case .collateral(let error): return "collateral: \(error)"
        }
    }
}
