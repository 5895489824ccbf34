/// What a registered enclave does; each role has its own allowed code in genesis, and a key
/// registered for one role is nothing in another.
public enum EnclaveRole: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Proctors useful work and draws the PoUW lottery (seals, WorkMarket results).
    case miner = 0
    /// Answers Native Oracle System requests.
    case oracle = 1

    public var description: String {
        switch self {
        case .miner: return "miner"
        case .oracle: return "oracle"
        }
    }
}
