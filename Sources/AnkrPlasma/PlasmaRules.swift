import AnkrPrimitives

/// The Plasma settings of `config.ankr.plasma`: how long an exit can be challenged, the bond an
/// exit posts, the exit-priority age cap, and the least stake of a child-chain operator.
public struct PlasmaRules: Hashable, Sendable {
    /// Seconds an exit waits before it can be finalized, during which it can be challenged (default 1 week).
    public var challengePeriodSeconds: UInt64 = 604_800
    /// An exit's bond, paid back on finalization or to a successful challenger (default 0.1 ANKR).
    public var exitBond = UInt256(100_000_000_000_000_000)
    /// An exit matures at max(its block's submission + this, now + the challenge period): the Plasma
    /// MVP rule (default 2 weeks, as there). What this exceeds the challenge period by is the reaction
    /// window: an owner who starts an exit within it of a withheld block's submission still ranks
    /// ahead of every exit from that block. Genesis refuses less than twice the challenge period, so
    /// the window is at least the challenge period, the time within which owners must already come
    /// online to challenge bad exits of their outputs.
    public var exitAgeCapSeconds: UInt64 = 1_209_600
    /// The least stake `createChildChain` accepts (default 1 ANKR).
    public var minimumStake = UInt256(1_000_000_000_000_000_000)

    public init() {}
}
