import AnkrCrypto
import AnkrDCAP
import AnkrPrimitives

/// What verified evidence proves.
public struct AttestationClaims: Hashable, Sendable {
    public var format: AttestationFormat
    /// MRENCLAVE (SGX), keccak256(MRTD ‖ RTMRs) (TDX), or the simulated enclave's measurement.
    public var measurement: H256
    /// MRSIGNER (SGX); zero for TDX.
    public var signer: H256
    /// The simulated platform's id, or keccak256(PPID) for DCAP (the anomaly test counts wins per platform).
    public var platformID: H256
    public var debug: Bool
    public var reportData: [UInt8]
    /// The simulated report's time; for DCAP (a quote carries no time) the time it was verified at.
    public var timestamp: UInt64
    /// The enclave's key, proven bound to the report.
    public var enclaveKey: PublicKey
    /// DCAP only (nil or empty for simulated evidence): the TEE, the platform's TCB status and the
    /// advisories behind it, the SGX ISV product id and SVN, and the PCK certificate's serial and
    /// issuer (a CRL naming them revokes the platform).
    public var teeType: TEEType? = nil
    public var tcbStatus: TCBStatus? = nil
    public var advisoryIDs: [String] = []
    public var isvProdID: UInt16? = nil
    public var isvSVN: UInt16? = nil
    public var pckSerial: [UInt8] = []
    public var pckIssuer: String? = nil
}
