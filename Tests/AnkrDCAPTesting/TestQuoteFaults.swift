/// Faults a test can build into an otherwise well-signed quote, each breaking one link of the chain of trust.
public struct TestQuoteFaults: OptionSet, Sendable {
    /// The fault bits.
    public let rawValue: UInt32
    /// Faults from their bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The QE report data does not hash the attestation key and QE authentication data.
    public static let qeReportDataUnbound = TestQuoteFaults(rawValue: 1 << 0)
    /// The QE report is signed by a key other than the PCK certificate's.
    public static let qeReportSignedByOtherKey = TestQuoteFaults(rawValue: 1 << 1)
    /// The header and body are signed by a key other than the attestation key the quote carries.
    public static let quoteSignedByOtherKey = TestQuoteFaults(rawValue: 1 << 2)
    /// The header names a QE vendor other than Intel.
    public static let foreignQEVendor = TestQuoteFaults(rawValue: 1 << 3)
    /// The attestation key type is 3 (ECDSA-P384) instead of 2 (ECDSA-P256).
    public static let p384AttestationKeyType = TestQuoteFaults(rawValue: 1 << 4)
}
