/// How blocks are sealed, from `config.ankr.consensus` (default `dev`).
public enum ConsensusRules: Hashable, Sendable {
    /// `geth --dev`-style: the producer's word is the seal. For development chains only.
    case dev
    /// Proof of Useful Work with the attestation policy of genesis.
    case pouw(PoUWGenesis)
}
