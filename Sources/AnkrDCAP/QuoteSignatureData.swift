/// The ECDSA-P256 signature data of a quote: the signature over header and body, the attestation key, and the
/// quoting enclave's certification (its report signed by the PCK key, and the PCK certificate chain).
public struct QuoteSignatureData: Sendable, Equatable {
    /// Raw r‖s (64 bytes) over the quote's header and body, by the attestation key.
    public var signature: [UInt8]
    /// The attestation key: a P-256 point as x‖y (64 bytes, no 0x04 prefix).
    public var attestationKey: [UInt8]
    /// The QE report exactly as signed (384 bytes).
    public var qeReportBytes: [UInt8]
    /// The QE report, parsed.
    public var qeReport: SGXReport
    /// Raw r‖s (64 bytes) over `qeReportBytes`, by the PCK leaf key.
    public var qeReportSignature: [UInt8]
    /// The QE authentication data, hashed with the attestation key into the QE report data.
    public var qeAuthData: [UInt8]
    /// The PCK certificate chain (leaf, platform/processor CA, root) as PEM text (bytes that are not UTF-8 read as U+FFFD).
    public var pckChainPEM: String
}
