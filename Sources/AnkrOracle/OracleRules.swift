import AnkrPrimitives

/// The Native Oracle System's settings (`config.ankr.oracle`): the fees and the k-of-n deviation. Which oracle enclaves may
/// answer is the `EnclaveRegistry`'s business (its `AttestationRules`, which read this section's
/// attestation keys when genesis has no `config.ankr.attestation`).
public struct OracleRules: Hashable, Sendable {
    /// The oracle fee: what each answer earns its enclave's registrant on top of the delivery's gas,
    /// which is reimbursed separately (default 0.001 ANKR). Also the least a request escrows (at a zero
    /// gas price cap), hence the name.
    public var minimumFee = UInt256(1_000_000_000_000_000)
    /// How far (basis points of the median) the numbers of a k-of-n request's answers may stray from
    /// their median and still count as agreeing (default 100, 1%).
    public var quorumDeviationBps: UInt64 = 100
    /// The most priority fee (tip) per gas NOS reimburses a delivery: it pays back gas at
    /// min(baseFee + min(tip, this), the request's cap), so a block producer delivering its own
    /// answer cannot draw its coinbase's tip from the escrow (default 2 gwei; genesis
    /// `maxReimbursedTip`). Relays send with a tip no larger.
    public var maxReimbursedTip = UInt256(2_000_000_000)
    /// Kept from a cancelled request's fee (default 0.0002 ANKR), paid to `treasury`.
    public var cancellationFee = UInt256(200_000_000_000_000)
    /// Receives cancellation fees (default: the zero address, i.e. burned).
    public var treasury = Address.zero

    public init() {}
}
