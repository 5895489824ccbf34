/// The prices that changed between forks, for the two rule sets this EVM runs: Cancun (the chain and
/// the GeneralStateTests) and Frontier (the legacy VMTests, filled with Frontier's prices).
public struct GasSchedule: Sendable {
    /// EIP-2929 warm/cold access; without it, the flat prices below apply.
    public var accessLists: Bool
    /// BALANCE, EXTCODESIZE, EXTCODECOPY without access lists.
    public var accountAccess: UInt64
    public var sload: UInt64
    /// CALL's base price without access lists.
    public var call: UInt64
    /// EIP-2200 net metering of SSTORE; without it, 20,000 to set a zero slot and 5,000 otherwise.
    public var netSstore: Bool
    /// EIP-160: per byte of EXP's exponent.
    public var expByte: UInt64
    /// EIP-150: a call or creation gets at most all but 1/64 of the gas left.
    public var allButOne64th: Bool
    /// EIP-150 SELFDESTRUCT price (5,000, plus 25,000 to fund a new account); Frontier's was 0.
    public var selfDestruct: UInt64
    /// EIP-6780: SELFDESTRUCT removes only an account created in the same transaction.
    public var selfDestructOnlyInCreation: Bool

    public static let cancun = GasSchedule(accessLists: true, accountAccess: 0, sload: 0, call: 0, netSstore: true, expByte: 50,
                                           allButOne64th: true, selfDestruct: 5_000, selfDestructOnlyInCreation: true)
    public static let frontier = GasSchedule(accessLists: false, accountAccess: 20, sload: 50, call: 40, netSstore: false, expByte: 10,
                                             allButOne64th: false, selfDestruct: 0, selfDestructOnlyInCreation: false)
}
