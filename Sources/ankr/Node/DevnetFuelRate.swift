import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrNode
import AnkrPrimitives
import AnkrSandbox
import Foundation
import Synchronization

/// How much metered fuel a devnet's miners run per second on this machine, measured the way they mine:
/// one thread per miner, each running the built-in workload in a simulated enclave's sandbox (the lottery
/// drawn and lost) and resting between subtasks to keep its duty cycle, all at once so they contend for
/// the cores as the nodes will. A fresh devnet sets its genesis difficulty from it, so its first blocks
/// already come once per period instead of ramping up from the chain's minimum.
struct DevnetFuelRate: Sendable {
    /// Fuel per second of all the miners together.
    let fuelPerSecond: Double
    let miners: Int
    let duty: Double

    /// Passes of the built-in workload per measured subtask (about 1 M fuel). The miners run 1,000 per
    /// subtask (`PoUWSealer.defaultPassesPerSubtask`); the per-subtask overhead (instantiation, randomness) is
    /// under 1 % of the work either way, and two subtasks' worth keeps a debug build's measurement near a second.
    static let passes: UInt32 = 2_000

    /// Runs `miners` threads for about `seconds` each (every one finishes its subtask and rest in progress).
    static func measure(miners: Int, duty: Double, seconds: Double = 1) throws(DevnetError) -> DevnetFuelRate {
        let module: WorkModule
        let enclaves: [SimulatedEnclave]
        do {
            module = try BuiltinWorkload.module()
            let root = DevelopmentAttestationRoot(key: PrivateKey.random())
            enclaves = try (0..<max(1, miners)).map { i in
                let platform = try SimulatedPlatform(id: Keccak256.h256(Array("devnet-fuel-rate-\(i)".utf8)), key: PrivateKey.random(), root: root)
                return SimulatedEnclave(name: DevGenesis.minerEnclaveName, platform: platform)
            }
        } catch {
            throw .fuelMeasurementFailed(reason: "\(error)")
        }
        let rates = Rates()
        let done = DispatchGroup()
        for enclave in enclaves {
            done.enter()
            let thread = Thread {
                rates.add(Result { try run(enclave, module: module, duty: duty, seconds: seconds) })
                done.leave()
            }
            thread.start()
        }
        done.wait()
        var total = 0.0
        for result in rates.all {
            switch result {
            case .success(let rate): total += rate
            case .failure(let error): throw .fuelMeasurementFailed(reason: "\(error)")
            }
        }
        return DevnetFuelRate(fuelPerSecond: total, miners: enclaves.count, duty: duty)
    }

    /// One miner's fuel per second of wall time, its rests included.
    private static func run(_ enclave: SimulatedEnclave, module: WorkModule, duty: Double, seconds: Double) throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        let budget: UInt64 = 50_000_000
        var fuel: UInt64 = 0
        repeat {
            let t0 = clock.now
            // Target zero: the draw always loses, as nearly every draw of a real miner does.
            let mined = try enclave.mine(module: module, input: BuiltinWorkload.input(passes: passes, seed: enclave.randomBytes(32)), fuel: budget,
                                         target: .zero, deadline: PoUWSealer.defaultMinerDeadline.duration(forFuel: budget),
                                         template: H256.zero, subtaskID: H256.zero)
            fuel += mined.fuelUsed
            if duty < 1 {
                // The sealer's rest: busy `duty` of the time.
                Thread.sleep(forTimeInterval: (clock.now - t0).seconds * (1 - duty) / duty)
            }
        } while (clock.now - started).seconds < seconds
        return Double(fuel) / max((clock.now - started).seconds, 1e-9)
    }

    /// The difficulty (expected instructions per block) at which these miners find one block per
    /// `blockTime` seconds on average, never below `minimum`.
    func difficulty(blockTime: UInt64, minimum: UInt64) -> UInt64 {
        let expected = (fuelPerSecond * Double(blockTime)).rounded()
        // From 2^64 up (or NaN from a broken clock) the double does not convert: saturate instead of trapping.
        guard !expected.isNaN else { return minimum }
        return max(minimum, expected >= 0x1p64 ? .max : UInt64(max(0, expected)))
    }

    /// The measuring threads' results, gathered as each ends.
    private final class Rates: Sendable {
        private let results = Mutex<[Result<Double, any Error>]>([])
        func add(_ result: Result<Double, any Error>) { results.withLock { $0.append(result) } }
        var all: [Result<Double, any Error>] { results.withLock { $0 } }
    }
}
