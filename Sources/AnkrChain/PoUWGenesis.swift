import AnkrPrimitives

/// The PoUW settings of `config.ankr`, as raw values (AnkrConsensus gives them meaning).
public struct PoUWGenesis: Hashable, Sendable {
    /// Compressed public keys of trusted attestation roots.
    public var attestationRoots: [[UInt8]]
    public var allowedMeasurements: [H256]
    public var allowSimulatedAttestation: Bool
    /// Floor of the difficulty, in expected instructions per block (default 2^24).
    public var minimumDifficulty: UInt256
    /// Validators re-execute each winning subtask (default true).
    public var reexecute: Bool
    /// REM's anomaly test: the fastest honest platform's share of all instruction power (default 1,
    /// which turns the test off), the false-alarm probability α (default 1e-6), the window in blocks
    /// (default 100).
    public var fastestPlatformRate: Double
    public var anomalyAlpha: Double
    public var anomalyWindow: Int
    /// The WorkMarket: the least bond behind a result in wei (default 0.01 ANKR) and the blocks a
    /// result can be disputed before its bond is returned (default 100).
    public var workBond: UInt256
    public var workDisputeWindow: UInt64
}
