import Crypto

/// Quotes in Intel's DCAP layout: header (48) ‖ body ‖ u32 signature-data length ‖ signature data. The body is
/// signed by the attestation key; the QE report, signed by the PCK key, binds that key through its report data
/// SHA-256(attestation key ‖ QE authentication data); the PCK chain rides along as certification data type 5.
extension TestPlatform {
    /// An SGX quote (version 3) of an enclave with these measurements.
    public func sgxQuote(reportData: [UInt8] = [UInt8](repeating: 0, count: 64),
                         mrEnclave: [UInt8] = [UInt8](repeating: 0xAA, count: 32),
                         mrSigner: [UInt8] = [UInt8](repeating: 0xBB, count: 32), isvProdID: UInt16 = 0,
                         isvSVN: UInt16 = 0, debug: Bool = false) throws(TestPKIError) -> [UInt8] {
        try sgxQuote(report: TestSGXReport(reportData: reportData, mrEnclave: mrEnclave, mrSigner: mrSigner,
                                           isvProdID: isvProdID, isvSVN: isvSVN, debug: debug))
    }

    /// An SGX quote (version 3) of `report`, quoted by `qe`, with `faults` built in.
    public func sgxQuote(report: TestSGXReport, qe: TestQuotingEnclave = .sgx,
                         faults: TestQuoteFaults = []) throws(TestPKIError) -> [UInt8] {
        let header = header(version: 3, teeType: 0, qe: qe, faults: faults)
        let body = try report.encoded(platformCPUSVN: cpuSVN)
        let signed = header + body
        let qeSection = try qeCertificationData(qe: qe, faults: faults)
        let signatureData = try quoteSignature(signed, faults: faults) + attestationPublicKey + qeSection
        return signed + (try QuoteBytes.prefixed32(signatureData, section: "quote signature data"))
    }

    /// A TDX quote of a TD with these measurements: version 4 with a TD report 1.0.
    public func tdxQuote(reportData: [UInt8] = [UInt8](repeating: 0, count: 64),
                         mrTD: [UInt8] = [UInt8](repeating: 0xCC, count: 48),
                         rtmrs: [[UInt8]] = (0..<4).map { [UInt8](repeating: UInt8(0xD0 + $0), count: 48) },
                         debug: Bool = false) throws(TestPKIError) -> [UInt8] {
        try tdxQuote(report: TestTDReport(reportData: reportData, mrTD: mrTD, rtmrs: rtmrs, debug: debug))
    }

    /// A TDX quote of `report`: `version` 4 (TD report 1.0 only) or 5 (a body descriptor names TD report 1.0 or
    /// 1.5), quoted by `qe`, with `faults` built in.
    public func tdxQuote(report: TestTDReport, version: UInt16 = 4, qe: TestQuotingEnclave = .tdx,
                         faults: TestQuoteFaults = []) throws(TestPKIError) -> [UInt8] {
        guard version == 4 || version == 5 else { throw .unsupportedTDXQuoteVersion(version) }
        if report.isVersion15 && version == 4 { throw .tdReport15NeedsQuoteV5 }
        let header = header(version: version, teeType: 0x81, qe: qe, faults: faults)
        let body = try report.encoded(platformTEETCBSVN: teeTCBSVN)
        var signed = header
        if version == 5 {
            let bodyType: UInt16 = report.isVersion15 ? 3 : 2
            signed += QuoteBytes.le(bodyType) + (try QuoteBytes.prefixed32(body, section: "TD report"))
        } else {
            signed += body
        }
        // Version 4 and 5 wrap the QE report, its signature, the QE authentication data and the PCK chain in
        // certification data of type 6.
        let qeSection = try qeCertificationData(qe: qe, faults: faults)
        let signatureData = try quoteSignature(signed, faults: faults) + attestationPublicKey
            + QuoteBytes.le(UInt16(6)) + (try QuoteBytes.prefixed32(qeSection, section: "QE report certification data"))
        return signed + (try QuoteBytes.prefixed32(signatureData, section: "quote signature data"))
    }

    /// version ‖ attestation key type ‖ TEE type ‖ QE SVN ‖ PCE SVN ‖ QE vendor id ‖ user data (the QE id).
    private func header(version: UInt16, teeType: UInt32, qe: TestQuotingEnclave, faults: TestQuoteFaults) -> [UInt8] {
        var out = QuoteBytes.le(version)
        out += QuoteBytes.le(UInt16(faults.contains(.p384AttestationKeyType) ? 3 : 2))
        out += QuoteBytes.le(teeType)
        out += QuoteBytes.le(qe.isvSVN)
        out += QuoteBytes.le(pceSVN)
        out += faults.contains(.foreignQEVendor) ? [UInt8](repeating: 0x11, count: 16) : QuoteBytes.intelQEVendorID
        out += Array(SHA256.hash(data: ppid).prefix(16)) + [0, 0, 0, 0]
        return out
    }

    /// QE report (384) ‖ its signature by the PCK key (64) ‖ u16-prefixed QE authentication data ‖ certification
    /// data type 5 (u16) ‖ u32-prefixed PEM chain PCK ‖ CA ‖ root.
    private func qeCertificationData(qe: TestQuotingEnclave, faults: TestQuoteFaults) throws(TestPKIError) -> [UInt8] {
        var binding = Array(SHA256.hash(data: attestationPublicKey + qe.authData))
        if faults.contains(.qeReportDataUnbound) { binding[0] ^= 0xFF }
        let qeReport = try TestSGXReport(
            reportData: binding + [UInt8](repeating: 0, count: 32), mrEnclave: qe.mrEnclave, mrSigner: qe.mrSigner,
            isvProdID: qe.isvProdID, isvSVN: qe.isvSVN, attributes: qe.attributes, miscSelect: qe.miscSelect,
            cpuSVN: cpuSVN
        ).encoded(platformCPUSVN: cpuSVN)
        let signer = faults.contains(.qeReportSignedByOtherKey) ? attestationKey : pckKey
        let qeReportSignature = try Self.sign(qeReport, with: signer, what: "the QE report")
        return qeReport + qeReportSignature
            + (try QuoteBytes.prefixed16(qe.authData, section: "QE authentication data"))
            + QuoteBytes.le(UInt16(5)) + (try QuoteBytes.prefixed32(Array(pckChainPEM.utf8), section: "PCK chain"))
    }

    private func quoteSignature(_ signed: [UInt8], faults: TestQuoteFaults) throws(TestPKIError) -> [UInt8] {
        try Self.sign(signed, with: faults.contains(.quoteSignedByOtherKey) ? pckKey : attestationKey,
                      what: "the quote")
    }

    private static func sign(_ bytes: [UInt8], with key: P256.Signing.PrivateKey,
                             what: String) throws(TestPKIError) -> [UInt8] {
        do {
            return Array(try key.signature(for: bytes).rawRepresentation)
        } catch {
            throw .notSigned(what: what)
        }
    }
}
