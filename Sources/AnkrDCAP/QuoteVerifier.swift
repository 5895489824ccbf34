import Crypto
import X509

/// Verifies DCAP quotes against collateral at a given time (never the wall clock), to a pinned root key.
///
/// The checks, in dcap-qvl 0.7.0's order where the order decides the reason: the quote's layout; the root CA CRL
/// (signed by the root, not expired); the issuer chains of the TCB info and QE identity; the PCK CRL (issued by the
/// quote's PCK CA, not expired); the quote's PCK chain (leaf and CA up to the root key, valid at the time, neither
/// revoked; the PEM's root certificate is not needed, the pinned key is the anchor); the QE report's signature by the
/// PCK key; the QE report data binding the attestation key and QE authentication data; the quote's signature by the
/// attestation key; the TCB info and QE identity rating the platform and the QE (`TCBEvaluation`); the CRLs' start
/// dates; the TD attributes; debug mode.
public struct QuoteVerifier: Sendable {
    /// Intel SGX Root CA's P-256 public key (uncompressed), the root of every genuine PCK chain.
    public static let intelRootCAPublicKey: [UInt8] = [
        0x04, 0x0B, 0xA9, 0xC4, 0xC0, 0xC0, 0xC8, 0x61, 0x93, 0xA3, 0xFE, 0x23, 0xD6, 0xB0, 0x2C, 0xDA,
        0x10, 0xA8, 0xBB, 0xD4, 0xE8, 0x8E, 0x48, 0xB4, 0x45, 0x85, 0x61, 0xA3, 0x6E, 0x70, 0x55, 0x25,
        0xF5, 0x67, 0x91, 0x8E, 0x2E, 0xDC, 0x88, 0xE4, 0x0D, 0x86, 0x0B, 0xD0, 0xCC, 0x4E, 0xE2, 0x6A,
        0xAC, 0xC9, 0x88, 0xE5, 0x05, 0xA9, 0x53, 0x55, 0x8C, 0x45, 0x3F, 0x6B, 0x09, 0x04, 0xAE, 0x73, 0x94,
    ]

    /// The root every chain must end in (uncompressed P-256 key).
    public let trustedRootPublicKey: [UInt8]
    /// Whether a debug-mode enclave or TD is accepted (it is not by default, as in dcap-qvl).
    public let allowDebug: Bool

    /// A verifier trusting `trustedRootPublicKey` (Intel's unless a test passes its test root).
    public init(trustedRootPublicKey: [UInt8] = QuoteVerifier.intelRootCAPublicKey, allowDebug: Bool = false) {
        self.trustedRootPublicKey = trustedRootPublicKey
        self.allowDebug = allowDebug
    }

    /// Verifies `quote` with `collateral` at `time` (unix seconds).
    public func verify(quote bytes: [UInt8], collateral: Collateral, time: UInt64) throws(DCAPError) -> VerifiedQuote {
        let quote = try Quote(bytes: bytes)
        let now = Int64(clamping: time)
        let root = try rootKey()
        let issuers = try VerifiedIssuers(collateral, root: root, time: now)

        let data = quote.signatureData
        let pck = try CertificateChain(pem: data.pckChainPEM, kind: .pck, needed: 2)
        try pck.verifySignatures(root: Certificate.PublicKey(root))
        try issuers.authenticatePCKCRL(issuer: pck.certificates[1], key: pck.keys[1], time: now)
        try pck.checkValidity(at: now)
        try pck.checkRevocation([issuers.rootCACRL, issuers.pckCRL])
        guard let extensionValue = pck.leaf.extensions[oid: PCKExtensions.oid]?.value else { throw .pckExtensionMissing }
        let pckExtensions = try PCKExtensions(derEncoded: Array(extensionValue))

        guard let qeSignature = try? P256.Signing.ECDSASignature(rawRepresentation: data.qeReportSignature),
              pck.leafKey.isValidSignature(qeSignature, for: data.qeReportBytes) else { throw .qeReportSignatureInvalid }
        let binding = Array(SHA256.hash(data: data.attestationKey + data.qeAuthData))
        guard data.qeReport.reportData.prefix(32).elementsEqual(binding) else { throw .qeReportDataMismatch }
        guard let attestationKey = try? P256.Signing.PublicKey(rawRepresentation: data.attestationKey) else {
            throw .attestationKeyInvalid
        }
        guard let quoteSignature = try? P256.Signing.ECDSASignature(rawRepresentation: data.signature),
              attestationKey.isValidSignature(quoteSignature, for: quote.signedBytes) else { throw .quoteSignatureInvalid }

        let verdict: TCBVerdict
        do {
            verdict = try TCBEvaluation.evaluate(
                collateral: collateral, tcbInfoSigningKey: issuers.tcbInfoSigningKey,
                qeIdentitySigningKey: issuers.qeIdentitySigningKey,
                platform: Self.platform(pckExtensions, body: quote.body), qeReport: Self.identity(data.qeReport), time: time)
        } catch {
            throw .collateral(error)
        }
        try issuers.checkCRLsIssued(by: now)
        if case .tdx(let report) = quote.body { try report.checkAttributes() }
        guard allowDebug || !quote.body.debug else { throw .debugNotAllowed(quote.teeType) }

        return VerifiedQuote(teeType: quote.teeType, status: verdict.status, advisoryIDs: verdict.advisoryIDs,
                             qeStatus: verdict.qeStatus, platformStatus: verdict.platformStatus, body: quote.body,
                             ppid: pckExtensions.ppid, fmspc: pckExtensions.fmspc,
                             pckSerial: Array(pck.leaf.serialNumber.bytes),
                             pckIssuer: pck.leaf.issuer.description)
    }

    /// Verifies `collateral` on its own at `time`: the CRLs and every issuer chain to the trusted root, the TCB info's
    /// and QE identity's signatures, and every document's validity window.
    public func verify(collateral: Collateral, time: UInt64) throws(DCAPError) -> VerifiedCollateral {
        let now = Int64(clamping: time)
        let root = try rootKey()
        let issuers = try VerifiedIssuers(collateral, root: root, time: now)
        let pckCRLIssuer = try CertificateChain(pem: collateral.pckCRLIssuerChain, kind: .pckCRLIssuer, needed: 1)
        try pckCRLIssuer.verify(root: Certificate.PublicKey(root), time: now, crls: [issuers.rootCACRL])
        guard pckCRLIssuer.leafKey.rawRepresentation != root.rawRepresentation else { throw .pckCRLIssuedByRoot }
        try issuers.authenticatePCKCRL(issuer: pckCRLIssuer.leaf, key: pckCRLIssuer.leafKey, time: now)
        let tcbInfo: TCBInfo, qeIdentity: QEIdentity
        do {
            tcbInfo = try TCBInfo(json: collateral.tcbInfo, signature: collateral.tcbInfoSignature,
                                  signingKey: issuers.tcbInfoSigningKey)
            try tcbInfo.checkValidity(at: time)
            qeIdentity = try QEIdentity(json: collateral.qeIdentity, signature: collateral.qeIdentitySignature,
                                        signingKey: issuers.qeIdentitySigningKey)
            try qeIdentity.checkValidity(at: time)
        } catch {
            throw .collateral(error)
        }
        guard qeIdentity.id == (tcbInfo.teeType == .sgx ? "QE" : "TD_QE") else {
            throw .qeIdentityForAnotherTEE(tcbInfo: tcbInfo.teeType, qeIdentity: qeIdentity.id)
        }
        try issuers.checkCRLsIssued(by: now)
        return VerifiedCollateral(teeType: tcbInfo.teeType, fmspc: tcbInfo.fmspc, tcbInfoIssueDate: tcbInfo.issueDate,
                                  revokedPCKSerials: issuers.pckCRL.revokedSerials.sorted { $0.lexicographicallyPrecedes($1) },
                                  pckCRLIssuer: issuers.pckCRL.issuer.description)
    }

    private func rootKey() throws(DCAPError) -> P256.Signing.PublicKey {
        guard trustedRootPublicKey.count == 65, trustedRootPublicKey.first == 0x04,
              let key = try? P256.Signing.PublicKey(x963Representation: trustedRootPublicKey) else { throw .trustedRootKeyInvalid }
        return key
    }

    private static func platform(_ pck: PCKExtensions, body: QuoteBody) -> PlatformTCB {
        var tdx: TDXModuleTCB?
        if case .tdx(let report) = body {
            tdx = TDXModuleTCB(teeTCBSVN: report.teeTCBSVN, mrSignerSeam: report.mrSignerSeam,
                               seamAttributes: report.seamAttributes, teeTCBSVN2: report.teeTCBSVN2)
        }
        return PlatformTCB(teeType: body.teeType, fmspc: pck.fmspc, pceID: pck.pceID, cpuSVNComponents: pck.cpuSVNComponents,
                           pceSVN: pck.pceSVN, tdx: tdx)
    }

    private static func identity(_ report: SGXReport) -> QEReportIdentity {
        QEReportIdentity(mrSigner: report.mrSigner, isvProdID: report.isvProdID, miscSelect: report.miscSelect,
                         attributes: report.attributes, isvSVN: report.isvSVN)
    }
}
