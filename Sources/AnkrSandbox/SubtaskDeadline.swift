/// A wall-clock bound for one subtask that grows with its fuel budget: `base` plus the time the
/// budget takes at `slowestFuelPerSecond`. Local policy, never consensus: it only decides when a
/// node stops waiting for a run (see ``WasmSandbox/run(_:input:fuel:deadline:)``).
public struct SubtaskDeadline: Hashable, Sendable {
    public var base: Duration
    /// The slowest execution speed this bound tolerates, in fuel units per second (at least 1).
    public var slowestFuelPerSecond: UInt64

    public init(base: Duration, slowestFuelPerSecond: UInt64) {
        self.base = base
        self.slowestFuelPerSecond = max(1, slowestFuelPerSecond)
    }

    /// The bound for a run with `fuel` units of budget.
    public func duration(forFuel fuel: UInt64) -> Duration {
        let rate = max(1, slowestFuelPerSecond)
        let whole = fuel / rate, rest = fuel % rate
        // rest < rate, so the quotient (nanoseconds of the last partial second) stays below 10^9.
        let (nanoseconds, _) = rate.dividingFullWidth(rest.multipliedFullWidth(by: 1_000_000_000))
        let fraction = Duration.nanoseconds(Int64(nanoseconds))
        return base + .seconds(Int64(clamping: whole)) + fraction
    }
}
