import AnkrDCAP
import AnkrPrimitives

/// The rules evidence must meet; genesis provides them (`config.ankr.attestation`, or the older
/// `config.ankr.attestationRoots`, `allowedMeasurements`, `allowSimulatedAttestation`).
public struct AttestationPolicy: Sendable {
    /// Attestation roots' public keys (33-byte compressed) whose simulated platform certificates are trusted.
    public var trustedRoots: Set<[UInt8]>
    /// Measurements allowed whatever the format: MRENCLAVE, keccak256(MRTD ‖ RTMRs) or a simulated enclave's.
    public var allowedMeasurements: Set<H256>
    public var allowSimulated: Bool
    public var allowDebug: Bool
    /// Simulated evidence older than this is refused; nil accepts any age (evidence registered once,
    /// like an oracle key). DCAP quotes carry no time: their freshness is the collateral's window.
    public var maxAge: UInt64?
    /// Clock skew tolerated for timestamps in the future.
    public var maxClockSkew: UInt64
    /// The DCAP root CA's P-256 key (65 bytes uncompressed): Intel's SGX Root CA unless a test root.
    public var dcapRoot: [UInt8]
    /// The TCB statuses a DCAP platform may have.
    public var acceptedStatuses: Set<TCBStatus>
    /// SGX signers whose enclaves are allowed from a minimum ISV SVN on, beside ``allowedMeasurements``.
    public var allowedSigners: [AllowedSigner]
    /// TDX: MRTD values (48 bytes) allowed, each with any RTMRs from ``allowedRTMRs``.
    public var allowedMRTDs: Set<[UInt8]>
    /// TDX: the RTMR0…3 tuples (4 × 48 bytes) allowed with an allowed MRTD; empty allows any.
    public var allowedRTMRs: Set<[[UInt8]]>

    public init(trustedRoots: Set<[UInt8]>, allowedMeasurements: Set<H256>, allowSimulated: Bool = false, allowDebug: Bool = false,
                maxAge: UInt64? = 3600, maxClockSkew: UInt64 = 60, dcapRoot: [UInt8] = QuoteVerifier.intelRootCAPublicKey,
                acceptedStatuses: Set<TCBStatus> = [.upToDate, .swHardeningNeeded], allowedSigners: [AllowedSigner] = [],
                allowedMRTDs: Set<[UInt8]> = [], allowedRTMRs: Set<[[UInt8]]> = []) {
        self.trustedRoots = trustedRoots; self.allowedMeasurements = allowedMeasurements; self.allowSimulated = allowSimulated
        self.allowDebug = allowDebug; self.maxAge = maxAge; self.maxClockSkew = maxClockSkew
        self.dcapRoot = dcapRoot; self.acceptedStatuses = acceptedStatuses; self.allowedSigners = allowedSigners
        self.allowedMRTDs = allowedMRTDs; self.allowedRTMRs = allowedRTMRs
    }
}
