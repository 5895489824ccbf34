import AnkrPrimitives

/// The Native Oracle System's settings (`config.ankr.oracle`): the fees. Which oracle enclaves may
/// answer is the `EnclaveRegistry`'s business (its `AttestationRules`, which read this section's
/// attestation keys when genesis has no `config.ankr.attestation`).
public struct OracleRules: Hashable, Sendable {
    /// The least fee of a request; it pays the oracle for `deliver` (default 0.001 ANKR).
    public var minimumFee = UInt256(1_000_000_000_000_000)
    /// Kept from a cancelled request's fee (default 0.0002 ANKR), paid to `treasury`.
    public var cancellationFee = UInt256(200_000_000_000_000)
    /// Receives cancellation fees (default: the zero address, i.e. burned).
    public var treasury = Address.zero

    public init() {}
}
