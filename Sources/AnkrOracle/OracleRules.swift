import AnkrPrimitives

/// The Native Oracle System's settings (`config.ankr.oracle`): which oracle enclaves may register
/// (attestation roots and measurements, as for miners) and the fees.
public struct OracleRules: Hashable, Sendable {
    /// Compressed public keys of the attestation roots whose platforms may host oracle enclaves (none: no oracle can register).
    public var attestationRoots: [[UInt8]] = []
    /// Measurements of the oracle enclave code allowed to register.
    public var measurements: [H256] = []
    public var allowSimulatedAttestation = false
    /// The least fee of a request; it pays the oracle for `deliver` (default 0.001 ANKR).
    public var minimumFee = UInt256(1_000_000_000_000_000)
    /// Kept from a cancelled request's fee (default 0.0002 ANKR), paid to `treasury`.
    public var cancellationFee = UInt256(200_000_000_000_000)
    /// Receives cancellation fees (default: the zero address, i.e. burned).
    public var treasury = Address.zero

    public init() {}
}
