import AnkrChain
import AnkrPrimitives

extension AppChainRules {
    /// The rules a genesis file sets in `config.ankr.appchains` (nil or absent: the defaults):
    /// `minimumStake` (default `defaultStake`, the Plasma chains' minimum) and `disputeWindowSeconds`
    /// (default: each profile's own window; a devnet sets a short one) and `depositDeadlineSeconds` (default: each
    /// profile's). Refuses unknown settings and a zero window.
    public init(genesisSection value: JSON?, defaultStake: UInt256) throws {
        let section = try GenesisSection(value, at: "config.ankr.appchains")
        try section.refuseUnknown(["minimumStake", "disputeWindowSeconds", "depositDeadlineSeconds"])
        self.init(minimumStake: try section.quantity("minimumStake") ?? defaultStake, disputeWindowSeconds: try section.uint64("disputeWindowSeconds"),
                  depositDeadlineSeconds: try section.uint64("depositDeadlineSeconds"))
        if disputeWindowSeconds == 0 {
            throw GenesisError.outOfRange(path: section.path(of: "disputeWindowSeconds"), must: "be positive (a block nobody can dispute is final at once)")
        }
    }
}
