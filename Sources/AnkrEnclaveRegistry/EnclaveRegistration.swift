import AnkrDCAP
import AnkrEnclave
import AnkrPrimitives

/// A live registration in the ``EnclaveRegistry``: an enclave key proven by attestation evidence to
/// run allowed code on a trusted platform, for one role, until ``expiresAt``.
public struct EnclaveRegistration: Hashable, Sendable {
    /// The address of the enclave key: what statements signed by the enclave recover to.
    public var enclave: Address
    /// The enclave key, 33 bytes compressed.
    public var key: [UInt8]
    public var role: EnclaveRole
    /// Who registered it (the miner's or oracle operator's account).
    public var registrant: Address
    public var format: AttestationFormat
    /// MRENCLAVE, keccak256(MRTD ‖ RTMRs) or the simulated enclave's measurement.
    public var measurement: H256
    /// MRSIGNER (SGX); zero for TDX.
    public var signer: H256
    /// keccak256(PPID) for DCAP, the simulated platform's id otherwise: what the anomaly test counts wins by.
    public var platformID: H256
    /// The platform's TCB status when it registered (nil for simulated evidence).
    public var tcbStatus: TCBStatus?
    public var registeredAt: UInt64
    public var expiresAt: UInt64

    public init(enclave: Address, key: [UInt8], role: EnclaveRole, registrant: Address, format: AttestationFormat, measurement: H256,
                signer: H256, platformID: H256, tcbStatus: TCBStatus?, registeredAt: UInt64, expiresAt: UInt64) {
        self.enclave = enclave; self.key = key; self.role = role; self.registrant = registrant; self.format = format
        self.measurement = measurement; self.signer = signer; self.platformID = platformID; self.tcbStatus = tcbStatus
        self.registeredAt = registeredAt; self.expiresAt = expiresAt
    }
}
