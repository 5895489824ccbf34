import AnkrAssets
import AnkrChain
import AnkrConsensus
import AnkrEnclave
import AnkrIdentity
import AnkrOracle
import AnkrPlasma
import AnkrWork

/// Everything a genesis implies beyond its block: the system contracts every node must run and the
/// consensus rules, derived in one place so `ankr init` and `ankr node` build the same chain.
public struct ChainSpec: Sendable {
    public let genesis: Genesis
    /// The PoUW rules (nil on a dev-sealed chain).
    public let pouw: PoUWParameters?
    /// The WorkMarket's rules (PoUW chains only: results need the chain's attestation policy).
    public let workMarket: WorkMarket.Parameters?
    public let systemContracts: SystemContractRegistry

    public init(genesis: Genesis) {
        self.genesis = genesis
        let plasma: [SystemContract] = [NOSContract(rules: genesis.parameters.oracle),
                                        ChildChainRegistry(rules: genesis.parameters.plasma), PlasmaRoot(rules: genesis.parameters.plasma),
                                        IdentityContract(), AssetsContract()]
        guard case .pouw(let g) = genesis.parameters.consensus else {
            pouw = nil; workMarket = nil; systemContracts = SystemContractRegistry(plasma, childChainIndex: ChildChainsRoot())
            return
        }
        let policy = AttestationPolicy(trustedRoots: Set(g.attestationRoots), allowedMeasurements: Set(g.allowedMeasurements),
                                       allowSimulated: g.allowSimulatedAttestation, maxAge: 3600)
        let parameters = PoUWParameters(policy: policy, blockTimeSeconds: genesis.parameters.blockTimeSeconds,
                                        minimumDifficulty: g.minimumDifficulty, reexecute: g.reexecute,
                                        anomaly: AnomalyTest(window: g.anomalyWindow, rate: g.fastestPlatformRate, alpha: g.anomalyAlpha))
        let market = WorkMarket.Parameters(attestation: policy, minimumBond: g.workBond, disputeWindow: g.workDisputeWindow,
                                           maxFuelPerSubtask: parameters.maxFuelPerSubtask)
        pouw = parameters
        workMarket = market
        systemContracts = SystemContractRegistry([WorkMarket(parameters: market)] + plasma, childChainIndex: ChildChainsRoot())
    }
}
