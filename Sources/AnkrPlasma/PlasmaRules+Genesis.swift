import AnkrChain
import AnkrPrimitives

extension PlasmaRules {
    /// The rules a genesis file sets in `config.ankr.plasma` (nil or absent: the defaults). Refuses
    /// unknown settings, values that do not fit, and an exit age cap below twice the challenge
    /// period, with a ``GenesisError`` naming the setting.
    public init(genesisSection value: JSON?) throws {
        let section = try GenesisSection(value, at: "config.ankr.plasma")
        try section.refuseUnknown(["challengePeriodSeconds", "exitBond", "exitAgeCapSeconds", "minimumStake"])
        self.init()
        if let v = try section.uint64("challengePeriodSeconds") { challengePeriodSeconds = v }
        if let v = try section.uint64("exitAgeCapSeconds") { exitAgeCapSeconds = v }
        if let v = try section.quantity("exitBond") { exitBond = v }
        if let v = try section.quantity("minimumStake") { minimumStake = v }
        let (twice, overflow) = challengePeriodSeconds.multipliedReportingOverflow(by: 2)
        guard !overflow, exitAgeCapSeconds >= twice else {
            throw GenesisError.conflict(path: section.path(of: "exitAgeCapSeconds"),
                                        rule: "(\(exitAgeCapSeconds)) must be at least twice challengePeriodSeconds (\(challengePeriodSeconds)), "
                                            + "leaving owners a reaction window of one challenge period to exit ahead of a withheld block")
        }
    }
}
