import AnkrChain
import AnkrOracle
import AnkrPrimitives

/// The main chain's rules for application chains, and how every application chain executes.
public struct AppChainRules: Hashable, Sendable {
    /// The least stake that registers a chain and lets its operator commit (the Plasma chains' minimum, see
    /// `PlasmaRules.minimumStake`, so both kinds of operator risk the same).
    public var minimumStake: UInt256
    /// Overrides every profile's dispute window when set (tests and devnets that cannot wait a day).
    public var disputeWindowSeconds: UInt64?
    /// Overrides every profile's deposit deadline when set.
    public var depositDeadlineSeconds: UInt64?

    public init(minimumStake: UInt256, disputeWindowSeconds: UInt64? = nil, depositDeadlineSeconds: UInt64? = nil) {
        self.minimumStake = minimumStake
        self.disputeWindowSeconds = disputeWindowSeconds
        self.depositDeadlineSeconds = depositDeadlineSeconds
    }

    /// The deposit deadline of a chain with `profile`.
    public func depositDeadline(_ profile: AppChainProfile) -> UInt64 { depositDeadlineSeconds ?? profile.depositDeadlineSeconds }

    /// The only genesis state an application chain may start from: its bridge and nothing else, so every ANKR on
    /// it was deposited on the main chain and is held there by its root (a genesis balance would be unbacked money
    /// its holder could withdraw out of other people's deposits).
    public static func genesisStateRoot(operator: Address) throws -> H256 {
        try Genesis(chainID: 1, parameters: executionParameters, alloc: [:])
            .block(state: WorldState(), systemContracts: childSystemContracts(operator: `operator`)).header.stateRoot
    }

    /// The dispute window of a chain with `profile`.
    public func disputeWindow(_ profile: AppChainProfile) -> UInt64 { disputeWindowSeconds ?? profile.disputeWindowSeconds }

    /// The system contracts of an application chain whose operator is `operator`: the bridge, the Native Oracle System
    /// (with the default ``OracleRules``: a dispute on the main chain must run the same, so a chain cannot choose its
    /// own) and the mirror of the main chain's enclave registry the NOS trusts. The chain's nodes and every dispute run
    /// exactly these.
    public static func childSystemContracts(operator: Address) -> SystemContractRegistry {
        SystemContractRegistry([AppChainBridge(operator: `operator`), NOSContract(rules: oracleRules), EnclaveRegistryMirror()])
    }

    /// The oracle rules of every application chain.
    public static let oracleRules = OracleRules()

    /// The execution parameters of every application chain: no block reward (the chain mints nothing) and its blocks'
    /// fees, base fee included, to the operator (nothing is burnt: every ANKR here is held for someone by the root on
    /// the main chain, the operator's fees included, which it withdraws like any balance), the rest as the main
    /// chain's EVM.
    public static var executionParameters: ChainParameters {
        var p = ChainParameters()
        p.blockReward = .zero
        p.baseFeeToCoinbase = true
        return p
    }
}
