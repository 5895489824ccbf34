import AnkrDCAP
import AnkrEnclave
import AnkrPrimitives

/// The attestation rules of genesis (`config.ankr.attestation`): which platforms and which code may
/// register enclaves in the ``EnclaveRegistry``, per ``EnclaveRole``, and for how long.
public struct AttestationRules: Equatable, Sendable {
    /// What code may register for one role, and from which kinds of platform.
    public struct Role: Hashable, Sendable {
        /// Exact measurements: MRENCLAVE (SGX), keccak256(MRTD ‖ RTMRs) (TDX), or a simulated enclave's.
        public var measurements: [H256] = []
        /// SGX signers allowed from a minimum ISV SVN on.
        public var signers: [AllowedSigner] = []
        /// TDX MRTDs (48 bytes) allowed, with RTMR tuples from ``rtmrs`` (any, when empty).
        public var mrtd: [[UInt8]] = []
        public var rtmrs: [[[UInt8]]] = []
        /// Development roots (33-byte compressed secp256k1 keys) certifying simulated platforms.
        public var attestationRoots: [[UInt8]] = []
        public var allowSimulatedAttestation = false

        public init() {}
    }

    /// The DCAP root CA's P-256 key (65 bytes uncompressed); Intel's SGX Root CA by default.
    public var dcapRoot = QuoteVerifier.intelRootCAPublicKey
    /// TCB statuses a DCAP platform may register with.
    public var acceptedStatuses: Set<TCBStatus> = [.upToDate, .swHardeningNeeded]
    /// Seconds a registration lives; the enclave re-registers to renew it (default 30 days).
    public var registrationPeriod: UInt64 = 30 * 24 * 3600
    /// Debug enclaves (whose memory the host can read) may register.
    public var allowDebug = false
    public var miner = Role()
    public var oracle = Role()
    /// Collateral genesis carries (`config.ankr.attestation.collateral`), by platform model: what a
    /// DCAP chain verifies its first quotes with, before anyone has posted collateral to the registry
    /// (its first block's seal needs some). Collateral posted later takes over.
    public var genesisCollateral: [CollateralKey: Collateral] = [:]

    /// At most this many genesis collateral documents.
    public static let maxGenesisCollateral = 64

    public init() {}

    /// The rules of `role`.
    public func rules(for role: EnclaveRole) -> Role {
        switch role {
        case .miner: return miner
        case .oracle: return oracle
        }
    }

    /// The verifier policy for registering `role` enclaves. Simulated evidence must be at most an
    /// hour old, as before registrations existed.
    public func policy(for role: EnclaveRole) -> AttestationPolicy {
        let r = rules(for: role)
        return AttestationPolicy(trustedRoots: Set(r.attestationRoots), allowedMeasurements: Set(r.measurements),
                                 allowSimulated: r.allowSimulatedAttestation, allowDebug: allowDebug, maxAge: 3600, dcapRoot: dcapRoot,
                                 acceptedStatuses: acceptedStatuses, allowedSigners: r.signers, allowedMRTDs: Set(r.mrtd),
                                 allowedRTMRs: Set(r.rtmrs))
    }
}
