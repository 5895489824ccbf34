import AnkrPrimitives

/// Ankr's own chain parameters, under `config.ankr` in the genesis file. Every one has a default.
public struct ChainParameters: Hashable, Sendable {
    /// Target seconds between blocks.
    public var blockTimeSeconds: UInt64 = 5
    /// Paid to the block's coinbase on top of priority fees (default 2 ANKR).
    public var blockReward = UInt256(2_000_000_000_000_000_000)
    public var consensus = ConsensusRules.dev
    /// Whether a block's base fees go to its coinbase instead of being burnt. Off on the main chain (EIP-1559 burns
    /// them there); on an application chain (AnkrAppChain's `AppChainRules.executionParameters`) the operator earns
    /// them: its ANKR is all held by the chain's root on the main chain, so a burn there would leave held ANKR owed
    /// to nobody. Not a genesis setting: the consensus kind decides it.
    public var baseFeeToCoinbase = false
    /// `config.ankr.plasma` as written (nil when absent): AnkrPlasma's `PlasmaRules(genesisSection:)`
    /// reads it, so the chain layer does not know the Plasma settings.
    public var plasma: JSON?
    /// `config.ankr.oracle` as written (nil when absent), read by AnkrOracle's `OracleRules(genesisSection:)`.
    public var oracle: JSON?
    /// `config.ankr.appchains` as written (nil when absent), read by AnkrAppChain's `AppChainRules(genesisSection:minimumStake:)`.
    public var appChains: JSON?
    /// `config.ankr.attestation` as written (nil when absent), read by AnkrEnclaveRegistry's `AttestationRules(genesis:)`.
    public var attestation: JSON?
    /// `config.ankr.unlockDevAccounts`: a development chain whose funded development keys (public, built into
    /// the binary) the node unlocks for `eth_sendTransaction` and `eth_sign`. Written only by `ankr node --dev`
    /// and `ankr devnet`; without it no key is ever unlocked, whatever the chain funds.
    public var unlockDevAccounts = false

    public init() {}
}
