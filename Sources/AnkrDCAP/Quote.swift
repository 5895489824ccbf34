/// An Intel DCAP quote with an ECDSA-P256 attestation key, parsed strictly: SGX quote v3, TDX quote v4
/// (TD report 1.0) and TDX quote v5 (body descriptor, TD report 1.0 or 1.5). Parsing checks the layout only;
/// `QuoteVerifier` checks the signatures and the collateral.
public struct Quote: Sendable, Equatable {
    /// No real quote comes near this size (they are ~5 KB, mostly the PEM chain); larger input is refused unread.
    public static let maximumSize = 64 * 1024
    /// Intel's quoting enclave vendor id.
    public static let intelQEVendorID: [UInt8] = [0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9,
                                                  0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07]
    static let headerSize = 48
    static let ecdsaP256KeyType: UInt16 = 2
    static let sgxTEEType: UInt32 = 0
    static let tdxTEEType: UInt32 = 0x81
    static let pckChainCertificationType: UInt16 = 5
    static let qeReportCertificationType: UInt16 = 6

    public var version: UInt16
    public var attestationKeyType: UInt16
    public var teeType: TEEType
    /// The QE's and PCE's security versions (reserved in TDX quotes).
    public var qeSVN: UInt16
    public var pceSVN: UInt16
    public var qeVendorID: [UInt8]      // 16
    /// 20 bytes chosen by the quoting enclave (the first 16 are its QE id).
    public var userData: [UInt8]
    public var body: QuoteBody
    public var signatureData: QuoteSignatureData
    /// Header and body as they are signed by the attestation key (including a v5 body descriptor).
    public var signedBytes: [UInt8]

    /// Parses `bytes`; every length is checked against the bytes left, and the signature data's size must be exactly
    /// the bytes that follow it.
    /// The PCK chain's PEM is read at verification.
    public init(bytes: [UInt8]) throws(DCAPError) {
        guard bytes.count <= Self.maximumSize else { throw .quoteTooLarge(size: bytes.count, limit: Self.maximumSize) }
        var r = ByteReader(bytes)
        var header = try r.subReader(Self.headerSize, .header)
        version = try header.readUInt16(.header)
        attestationKeyType = try header.readUInt16(.header)
        let tee = try header.readUInt32(.header)
        qeSVN = try header.readUInt16(.header)
        pceSVN = try header.readUInt16(.header)
        qeVendorID = try header.read(16, .header)
        userData = try header.read(20, .header)

        guard [3, 4, 5].contains(version) else { throw .unsupportedQuoteVersion(version) }
        guard attestationKeyType == Self.ecdsaP256KeyType else { throw .unsupportedAttestationKeyType(attestationKeyType) }
        switch tee {
        case Self.sgxTEEType: teeType = .sgx
        case Self.tdxTEEType: teeType = .tdx
        default: throw .unsupportedTEEType(tee)
        }
        guard (teeType == .sgx) == (version == 3) else { throw .teeTypeNotAllowedForVersion(version: version, teeType: teeType) }
        guard qeVendorID == Self.intelQEVendorID else { throw .unknownQEVendor(qeVendorID) }

        switch version {
        case 3: body = .sgx(try SGXReport(reading: &r, .body))
        case 4: body = .tdx(try TDReport(reading: &r, version15: false))
        default:
            let bodyType = try r.readUInt16(.bodyDescriptor)
            let bodySize = try r.readUInt32(.bodyDescriptor)
            let version15: Bool
            switch bodyType {
            case 2: version15 = false
            case 3: version15 = true
            default: throw .unsupportedBodyType(bodyType)
            }
            guard Int(bodySize) == (version15 ? TDReport.size15 : TDReport.size10) else {
                throw .bodySizeMismatch(bodyType: bodyType, size: bodySize)
            }
            body = .tdx(try TDReport(reading: &r, version15: version15))
        }
        signedBytes = Array(bytes[0..<r.offset])

        let authSize = try r.readUInt32(.authDataSize)
        // Quote buffers from real quoting stacks (configfs-tsm outblobs, dcap-qvl's TDX sample) may be zero-padded past the
        // signature data; zeros are accepted and ignored, any other trailing byte is refused so a quote has one byte string.
        guard Int(authSize) <= r.remaining else { throw .authDataSizeMismatch(declared: authSize, available: r.remaining) }
        let paddingStart = r.offset + Int(authSize)
        guard bytes[paddingStart...].allSatisfy({ $0 == 0 }) else { throw .authDataSizeMismatch(declared: authSize, available: r.remaining) }
        var signed = try r.subReader(Int(authSize), .authDataSize)
        signatureData = try Self.readSignatureData(&signed, version: version)
    }

    private static func readSignatureData(_ r: inout ByteReader, version: UInt16) throws(DCAPError) -> QuoteSignatureData {
        let signature = try r.read(64, .signature)
        let attestationKey = try r.read(64, .attestationKey)
        // Bytes after the PCK chain are covered by no signature and read by no verifier (dcap-qvl skips them too), so
        // they are left unread rather than refused.
        if version == 3 {
            // v3 lays the QE certification out inline.
            return try readQECertification(&r, signature: signature, attestationKey: attestationKey)
        }
        // v4/v5 wrap it in certification data of type 6.
        let type = try r.readUInt16(.certificationDataHeader)
        guard type == qeReportCertificationType else {
            throw .unsupportedCertificationDataType(type, expected: qeReportCertificationType)
        }
        let size = try r.readUInt32(.certificationDataHeader)
        var inner = try r.subReader(Int(size), .certificationData)
        return try readQECertification(&inner, signature: signature, attestationKey: attestationKey)
    }

    private static func readQECertification(_ r: inout ByteReader, signature: [UInt8],
                                            attestationKey: [UInt8]) throws(DCAPError) -> QuoteSignatureData {
        let qeReportBytes = try r.read(SGXReport.size, .qeReport)
        var reparse = ByteReader(qeReportBytes)
        let qeReport = try SGXReport(reading: &reparse, .qeReport)
        let qeReportSignature = try r.read(64, .qeReportSignature)
        let authSize = try r.readUInt16(.qeAuthDataSize)
        let qeAuthData = try r.read(Int(authSize), .qeAuthData)
        let type = try r.readUInt16(.pckChainHeader)
        guard type == pckChainCertificationType else {
            throw .unsupportedCertificationDataType(type, expected: pckChainCertificationType)
        }
        let size = try r.readUInt32(.pckChainHeader)
        let pem = try r.read(Int(size), .pckChain)
        // Read as text the way dcap-qvl's PEM parser reads bytes: what lies outside the certificate blocks (Intel's
        // QE ends the chain with a NUL) is ignored, and a stray byte inside a block fails its base64 at verification.
        let chain = String(decoding: pem, as: UTF8.self)
        return QuoteSignatureData(signature: signature, attestationKey: attestationKey, qeReportBytes: qeReportBytes,
                                  qeReport: qeReport, qeReportSignature: qeReportSignature, qeAuthData: qeAuthData,
                                  pckChainPEM: chain)
    }
}
