import AnkrAppChain
import AnkrAssets
import AnkrChain
import AnkrConsensus
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrIdentity
import AnkrOracle
import AnkrPlasma
import AnkrPrimitives
import AnkrWork

/// Everything a genesis implies beyond its block: the system contracts every node must run and the
/// consensus rules, derived in one place so `ankr init` and `ankr node` build the same chain.
public struct ChainSpec: Sendable {
    public let genesis: Genesis
    /// The Plasma rules of `config.ankr.plasma`.
    public let plasma: PlasmaRules
    /// The Native Oracle System's rules of `config.ankr.oracle`.
    public let oracle: OracleRules
    /// Who may register enclaves in the EnclaveRegistry (`config.ankr.attestation`, or derived from the older keys).
    public let attestation: AttestationRules
    /// The PoUW rules (nil on a dev-sealed chain).
    public let pouw: PoUWParameters?
    /// The WorkMarket's rules (PoUW chains only: results are signed by registered miner enclaves).
    public let workMarket: WorkMarket.Parameters?
    /// The application chains' rules (their stake is the Plasma chains' minimum).
    public let appChains: AppChainRules
    public let systemContracts: SystemContractRegistry

    /// The operator of an application chain's genesis (`config.ankr.consensus = "operator"`), or nil.
    public var appChainOperator: Address? {
        if case .operator(let a) = genesis.parameters.consensus { return a }
        return nil
    }

    /// Reads the feature sections of `genesis` (Plasma, oracle) and derives the rest. Throws the
    /// ``GenesisError`` of a bad section, so a node refuses such a genesis before it runs it.
    public init(genesis: Genesis) throws {
        self.genesis = genesis
        plasma = try PlasmaRules(genesisSection: genesis.parameters.plasma)
        oracle = try OracleRules(genesisSection: genesis.parameters.oracle)
        attestation = try AttestationRules(genesis: genesis)
        if case .operator(let op) = genesis.parameters.consensus {
            // An application chain runs exactly what a dispute on the main chain re-executes: the EVM and the bridge,
            // no block reward (see AppChainRules.executionParameters and childSystemContracts).
            guard genesis.parameters.blockReward.isZero else {
                throw GenesisError.conflict(path: "config.ankr.blockReward", rule: "must be 0 on an application chain (consensus \"operator\"): its operator earns fees, the chain mints nothing")
            }
            // The registry binds the operator to the chain through the genesis header: its coinbase.
            guard genesis.coinbase == op else {
                throw GenesisError.conflict(path: "coinbase", rule: "must be the operator \(op.checksummed) on an application chain (the main chain's registry checks it)")
            }
            guard genesis.alloc.isEmpty else {
                throw GenesisError.conflict(path: "alloc", rule: "must be empty on an application chain: every ANKR on it is deposited on the main chain")
            }
            guard genesis.baseFeePerGas.isZero else {
                throw GenesisError.conflict(path: "baseFeePerGas", rule: "must be 0 on an application chain (its operator's first deposit relay pays no fee)")
            }
            // Its NOS runs the rules every dispute runs; a genesis section would be ignored, so it is refused.
            guard genesis.parameters.oracle == nil else {
                throw GenesisError.conflict(path: "config.ankr.oracle", rule: "must be absent on an application chain: its NOS runs the rules every dispute re-executes")
            }
            appChains = AppChainRules(minimumStake: plasma.minimumStake)
            pouw = nil; workMarket = nil; systemContracts = AppChainRules.childSystemContracts(operator: op)
            return
        }
        appChains = try AppChainRules(genesisSection: genesis.parameters.appChains, defaultStake: plasma.minimumStake)
        let features: [SystemContract] = [NOSContract(rules: oracle), ChildChainRegistry(rules: plasma), PlasmaRoot(rules: plasma),
                                          IdentityContract(), AssetsContract(), EnclaveRegistry(rules: attestation),
                                          AppChainRegistry(rules: appChains), AppChainRoot(rules: appChains)]
        let index = ChildChainsIndex(plasma: ChildChainsRoot())
        guard case .pouw(let g) = genesis.parameters.consensus else {
            pouw = nil; workMarket = nil; systemContracts = SystemContractRegistry(features, childChainIndex: index)
            return
        }
        // Seals carrying evidence (enclaves not yet registered) meet the same rules as miner registrations.
        var parameters = PoUWParameters(policy: attestation.policy(for: .miner), blockTimeSeconds: genesis.parameters.blockTimeSeconds,
                                        minimumDifficulty: g.minimumDifficulty, reexecute: g.reexecute,
                                        anomaly: AnomalyTest(window: g.anomalyWindow, rate: g.fastestPlatformRate, alpha: g.anomalyAlpha))
        let market = WorkMarket.Parameters(minimumBond: g.workBond, disputeWindow: g.workDisputeWindow, maxFuelPerSubtask: parameters.maxFuelPerSubtask)
        parameters.genesisCollateral = attestation.genesisCollateral
        pouw = parameters
        workMarket = market
        systemContracts = SystemContractRegistry([WorkMarket(parameters: market)] + features, childChainIndex: index)
    }
}
