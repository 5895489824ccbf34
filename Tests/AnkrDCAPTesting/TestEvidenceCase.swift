import AnkrDCAP

/// One piece of minted evidence with the verdict any faithful DCAP verifier must reach on it: accepted with a status
/// and advisories (and the PPID and report fields it must read back), or rejected. `corpus` mints the whole set that
/// dcap-qvl is checked against, for verifiers under test to be checked against too.
public struct TestEvidenceCase: Sendable {
    /// What a verifier must conclude.
    public enum Verdict: Sendable, Equatable {
        case accepted(status: TCBStatus, advisoryIDs: [String])
        /// Rejected; the associated text says which check must fail.
        case rejected(because: String)
    }

    /// A unique, descriptive name (`sgx-revoked-pck`, ...).
    public var name: String
    /// The quote bytes.
    public var quote: [UInt8]
    /// The collateral to verify it against.
    public var collateral: Collateral
    /// The verification time (unix seconds).
    public var time: UInt64
    /// The root certificate (DER) the verifier trusts for this case.
    public var rootCertificateDER: [UInt8]
    /// Its public key, uncompressed (65 bytes).
    public var rootPublicKey: [UInt8]
    /// What a faithful verifier concludes.
    public var verdict: Verdict
    /// For accepted cases: the PPID of the PCK certificate.
    public var ppid: [UInt8]
    /// For accepted cases: "SgxEnclave", "TD10" or "TD15" (dcap-qvl's names of the report kinds).
    public var reportKind: String
    /// For accepted cases: report fields by dcap-qvl's names (`mr_enclave`, `rt_mr0`, ...), hex or decimal text.
    public var reportFields: [String: String]

    /// A case; `ppid`, `reportKind` and `reportFields` matter for accepted cases only.
    public init(name: String, quote: [UInt8], collateral: Collateral, time: UInt64, rootCertificateDER: [UInt8],
                rootPublicKey: [UInt8], verdict: Verdict, ppid: [UInt8] = [], reportKind: String = "",
                reportFields: [String: String] = [:]) {
        self.name = name
        self.quote = quote
        self.collateral = collateral
        self.time = time
        self.rootCertificateDER = rootCertificateDER
        self.rootPublicKey = rootPublicKey
        self.verdict = verdict
        self.ppid = ppid
        self.reportKind = reportKind
        self.reportFields = reportFields
    }
}
