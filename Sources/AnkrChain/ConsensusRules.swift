import AnkrPrimitives

/// How blocks are sealed, from `config.ankr.consensus` (default `dev`).
public enum ConsensusRules: Hashable, Sendable {
    /// `geth --dev`-style: the producer's word is the seal. For development chains only.
    case dev
    /// Proof of Useful Work with the attestation policy of genesis.
    case pouw(PoUWGenesis)
    /// An application chain (DESIGN.md §8): only the operator registered on the main chain seals, with its
    /// signature; the main chain, not this rule, is what keeps the operator honest.
    case `operator`(Address)
}
