import AnkrChain
import AnkrPrimitives

/// The main chain's rules for application chains, and how every application chain executes.
public struct AppChainRules: Hashable, Sendable {
    /// The least stake that registers a chain and lets its operator commit (the Plasma chains' minimum, see
    /// `PlasmaRules.minimumStake`, so both kinds of operator risk the same).
    public var minimumStake: UInt256
    /// Overrides every profile's dispute window when set (tests and devnets that cannot wait a day).
    public var disputeWindowSeconds: UInt64?

    public init(minimumStake: UInt256, disputeWindowSeconds: UInt64? = nil) {
        self.minimumStake = minimumStake
        self.disputeWindowSeconds = disputeWindowSeconds
    }

    /// The dispute window of a chain with `profile`.
    public func disputeWindow(_ profile: AppChainProfile) -> UInt64 { disputeWindowSeconds ?? profile.disputeWindowSeconds }

    /// The system contracts of an application chain whose operator is `operator`: the bridge alone. The chain's
    /// nodes and every dispute run exactly these.
    public static func childSystemContracts(operator: Address) -> SystemContractRegistry {
        SystemContractRegistry([AppChainBridge(operator: `operator`)])
    }

    /// The execution parameters of every application chain: no block reward (the operator earns its
    /// blocks' priority fees; the chain mints nothing), the rest as the main chain's EVM.
    public static var executionParameters: ChainParameters {
        var p = ChainParameters()
        p.blockReward = .zero
        return p
    }
}
