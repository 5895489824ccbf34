import Crypto
import X509

/// A platform of the test PKI: its PCK key and certificate (with the SGX extension carrying its PPID, TCB, PCE-ID,
/// FMSPC and SGX type) and its quoting enclave's attestation key. Makes SGX and TDX quotes (see
/// `TestPlatform+Quote.swift`).
public struct TestPlatform: Sendable {
    /// An FMSPC no real platform has, the default of every test platform.
    public static let defaultFMSPC: [UInt8] = [0x00, 0x90, 0x6E, 0xD5, 0x00, 0x00]
    /// The default SGX TCB components (CPUSVN) of a test platform.
    public static let defaultCPUSVNComponents: [UInt8] = [7, 7, 2, 2, 255, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    /// The default TDX TEE TCB SVN: TDX module ISV SVN 3, major version 1 (module identity "TDX_01").
    public static let defaultTEETCBSVN: [UInt8] = [3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    /// The platform's index under its PKI; its keys and PPID derive from the PKI's seed and this index.
    public let index: UInt64
    /// PPID (16 bytes): the platform id of SGX registrations.
    public let ppid: [UInt8]
    /// FMSPC (6 bytes).
    public let fmspc: [UInt8]
    /// PCE-ID (2 bytes).
    public let pceID: [UInt8]
    /// SGX TCB components 1–16 in the PCK certificate.
    public let cpuSVNComponents: [UInt8]
    /// PCE SVN in the PCK certificate (and the quote header).
    public let pceSVN: UInt16
    /// CPUSVN in the PCK certificate (and the QE report).
    public let cpuSVN: [UInt8]
    /// SGX type in the PCK certificate (0 Standard, 1 Scalable, 2 Scalable with integrity).
    public let sgxType: Int
    /// The TEE TCB SVN its TD reports carry by default (TDX module ISV SVN, module version, ...).
    public let teeTCBSVN: [UInt8]
    /// The PCK certificate.
    public let pckCertificate: Certificate
    let pckKey: P256.Signing.PrivateKey
    let attestationKey: P256.Signing.PrivateKey
    /// PEM chain PCK leaf ‖ PCK CA ‖ root: the quote's certification data (type 5).
    public let pckChainPEM: String

    init(index: UInt64, ppid: [UInt8], fmspc: [UInt8], pceID: [UInt8], cpuSVNComponents: [UInt8], pceSVN: UInt16,
         cpuSVN: [UInt8], sgxType: Int, teeTCBSVN: [UInt8], pckCertificate: Certificate,
         pckKey: P256.Signing.PrivateKey, attestationKey: P256.Signing.PrivateKey, pckChainPEM: String) {
        self.index = index
        self.ppid = ppid
        self.fmspc = fmspc
        self.pceID = pceID
        self.cpuSVNComponents = cpuSVNComponents
        self.pceSVN = pceSVN
        self.cpuSVN = cpuSVN
        self.sgxType = sgxType
        self.teeTCBSVN = teeTCBSVN
        self.pckCertificate = pckCertificate
        self.pckKey = pckKey
        self.attestationKey = attestationKey
        self.pckChainPEM = pckChainPEM
    }

    /// The PCK certificate, DER.
    public var pckCertificateDER: [UInt8] { TestPKI.der(pckCertificate) }

    /// The PCK certificate's serial number (big-endian), to revoke it in a PCK CRL.
    public var pckSerial: [UInt8] { Array(pckCertificate.serialNumber.bytes) }

    /// The PCK certificate's issuer name as swift-certificates prints it.
    public var pckIssuer: String { pckCertificate.issuer.description }

    /// The attestation public key of its quoting enclave, raw x ‖ y (64 bytes) as quotes carry it.
    public var attestationPublicKey: [UInt8] { Array(attestationKey.publicKey.rawRepresentation) }
}

extension TestPKI {
    /// Mints a platform: its PCK key and attestation key (derived from the seed and `index`), and a PCK certificate
    /// under the PCK CA with the SGX extension.
    /// - Parameters:
    ///   - index: tells platforms of one PKI apart (keys, PPID and serial derive from it).
    ///   - fmspc, pceID, cpuSVNComponents, pceSVN, cpuSVN, sgxType, ppid: the SGX extension's values (`cpuSVN`
    ///     defaults to the components, `ppid` to bytes derived from the seed).
    ///   - teeTCBSVN: the TEE TCB SVN of the platform's TD reports.
    ///   - pckValidity: the PCK certificate's validity, to mint an expired one.
    public func platform(index: UInt64 = 0, fmspc: [UInt8] = TestPlatform.defaultFMSPC, pceID: [UInt8] = [0, 0],
                         cpuSVNComponents: [UInt8] = TestPlatform.defaultCPUSVNComponents, pceSVN: UInt16 = 13,
                         cpuSVN: [UInt8]? = nil, sgxType: Int = 0, ppid: [UInt8]? = nil,
                         teeTCBSVN: [UInt8] = TestPlatform.defaultTEETCBSVN,
                         pckValidity: ClosedRange<UInt64> = TestPKI.defaultValidity) throws(TestPKIError) -> TestPlatform {
        let label = "platform-\(index)"
        let ppid = ppid ?? SeededKeys.bytes(seed: seed, label: label + "-ppid", count: 16)
        let cpuSVN = cpuSVN ?? cpuSVNComponents
        try Self.check("ppid", ppid, 16)
        try Self.check("fmspc", fmspc, 6)
        try Self.check("pceID", pceID, 2)
        try Self.check("cpuSVNComponents", cpuSVNComponents, 16)
        try Self.check("cpuSVN", cpuSVN, 16)
        try Self.check("teeTCBSVN", teeTCBSVN, 16)
        let pckKey = try SeededKeys.key(seed: seed, label: label + "-pck")
        let attestationKey = try SeededKeys.key(seed: seed, label: label + "-attestation")
        let sgxExtension = try PCKCertificateExtension(
            ppid: ppid, cpuSVNComponents: cpuSVNComponents, pceSVN: pceSVN, cpuSVN: cpuSVN, pceID: pceID,
            fmspc: fmspc, sgxType: sgxType).certificateExtension()
        let certificate = try Self.mint(
            subject: try Self.name("Test SGX PCK Certificate"), serial: SeededKeys.serial(seed: seed, label: label),
            key: pckKey.publicKey, validity: pckValidity, issuer: pckCACertificate.subject, issuerKey: pckCAKey,
            role: .signer(extensions: [sgxExtension]))
        return TestPlatform(
            index: index, ppid: ppid, fmspc: fmspc, pceID: pceID, cpuSVNComponents: cpuSVNComponents, pceSVN: pceSVN,
            cpuSVN: cpuSVN, sgxType: sgxType, teeTCBSVN: teeTCBSVN, pckCertificate: certificate, pckKey: pckKey,
            attestationKey: attestationKey,
            pckChainPEM: Self.pem(certificate) + Self.pem(pckCACertificate) + Self.pem(rootCertificate))
    }

    static func check(_ field: String, _ bytes: [UInt8], _ length: Int) throws(TestPKIError) {
        guard bytes.count == length else { throw .wrongLength(field: field, expected: length, actual: bytes.count) }
    }
}
