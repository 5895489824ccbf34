import AnkrChain
import AnkrCrypto
import AnkrNode
import Foundation

/// The network a devnet runs: the one its directory already holds (resumed with its state), or a fresh
/// one whose genesis is written there now, its starting difficulty calibrated to this machine.
struct DevnetNetwork {
    /// The genesis JSON every node is initialized with.
    let genesis: Data
    /// The development attestation root's key, for the data directories of PoUW nodes still to set up
    /// (nil on a dev-sealing network, or a resumed one whose nodes hold no copy of it).
    let rootKey: PrivateKey?
    /// Seconds between blocks the chain aims at (the genesis's, on a resumed network).
    let blockTime: Double
    /// The height the network is resumed at; nil for a fresh network.
    let resumedHeight: UInt64?
    /// For a fresh PoUW network: what the miners were measured at, the genesis's block time in whole
    /// seconds (what the chain retargets toward) and the genesis difficulty set from both.
    let calibration: (rate: DevnetFuelRate, blockTime: UInt64, difficulty: UInt64)?

    /// Floor of a PoUW devnet's difficulty, in expected instructions per block (config.ankr.minimumDifficulty).
    static let minimumDifficulty: UInt64 = 0x40000

    /// Finds the network in `directory`, or writes a fresh one there: for PoUW, `nodes` miners at `duty`
    /// are measured first (about a second) so the genesis difficulty gives one block per `period`.
    static func open(in directory: DevnetDirectory, pouw: Bool, nodes: Int, period: Double, duty: Double) throws(DevnetError) -> DevnetNetwork {
        if let (existing, file) = try directory.genesis() {
            let parsed: Genesis
            do {
                parsed = try Genesis(json: existing)
            } catch {
                throw .unreadableGenesis(path: file.path, reason: "\(error)")
            }
            let holds: String
            if case .pouw = parsed.parameters.consensus { holds = "pouw" } else { holds = "dev" }
            guard holds == (pouw ? "pouw" : "dev") else {
                throw .consensusMismatch(directory: directory.root.path, holds: holds, requested: pouw ? "pouw" : "dev")
            }
            let rootKey = directory.initializedNodes().lazy.compactMap { try? $0.attestationRootKey() }.first
            // The devnet's copy is for people and tools reading the directory; put it back if it went missing.
            if !FileManager.default.fileExists(atPath: directory.genesisFile.path) {
                do {
                    try existing.write(to: directory.genesisFile, options: .atomic)
                } catch {
                    throw .genesisNotWritten(path: directory.genesisFile.path, reason: error.localizedDescription)
                }
            }
            // Dev sealing paces blocks by --period (the producers' own timers); PoUW by the genesis's block time.
            return DevnetNetwork(genesis: existing, rootKey: rootKey, blockTime: pouw ? Double(parsed.parameters.blockTimeSeconds) : period,
                                 resumedHeight: try directory.height(), calibration: nil)
        }
        let blockTime = UInt64(max(1, period.rounded()))
        var calibration: (rate: DevnetFuelRate, blockTime: UInt64, difficulty: UInt64)?
        var rootKey: PrivateKey?
        if pouw {
            let rate = try DevnetFuelRate.measure(miners: nodes, duty: duty)
            calibration = (rate, blockTime, rate.difficulty(blockTime: blockTime, minimum: minimumDifficulty))
            rootKey = PrivateKey.random()
        }
        let json = DevnetCommand.genesisJSON(blockTime: period, attestationRoot: rootKey?.publicKey.compressed, workers: pouw ? nodes : 0,
                                             difficulty: calibration?.difficulty ?? minimumDifficulty)
        do {
            try FileManager.default.createDirectory(at: directory.root, withIntermediateDirectories: true)
        } catch {
            throw .genesisNotWritten(path: directory.genesisFile.path, reason: error.localizedDescription)
        }
        try directory.writeMarker()
        do {
            try Data(json.utf8).write(to: directory.genesisFile, options: .atomic)
        } catch {
            throw .genesisNotWritten(path: directory.genesisFile.path, reason: error.localizedDescription)
        }
        return DevnetNetwork(genesis: Data(json.utf8), rootKey: rootKey, blockTime: period, resumedHeight: nil, calibration: calibration)
    }
}
