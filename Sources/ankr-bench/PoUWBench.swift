import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrStorage
import ArgumentParser
import Foundation

struct PoUWBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pouw", abstract: "Mining (useful fraction of CPU time) and seal validation with and without re-execution.")

    @Option(help: "Blocks to mine.")
    var blocks = 20

    @Option(help: "Difficulty in expected instructions per block.")
    var difficulty: UInt64 = 50_000_000

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            guard blocks >= 1, difficulty >= 1000 else { throw BenchError.options("--blocks and --difficulty", mustBe: "≥ 1 and ≥ 1000") }
            let root = DevelopmentAttestationRoot(key: PrivateKey.random())
            let measurement = SimulatedEnclave.measurement(named: "bench")
            let policy = AttestationPolicy(trustedRoots: [root.publicKey], allowedMeasurements: [measurement], allowSimulated: true, maxAge: nil)
            let start = UInt64(Date().timeIntervalSince1970) - UInt64(blocks) - 10
            let params = PoUWParameters(policy: policy, blockTimeSeconds: 1, minimumDifficulty: UInt256(difficulty), maxFuelPerSubtask: 100_000_000)
            let platform = try SimulatedPlatform(id: Keccak256.h256([1]), key: PrivateKey.random(), root: root)
            // Through the same door the node uses: the engine is known only as a `Sealer`.
            let miner = try AnkrConsensus.sealer(pouw: params, miner: .init(enclave: SimulatedEnclave(name: "bench", platform: platform)))
            let genesis = Genesis(chainID: 7331, difficulty: UInt256(difficulty), timestamp: start)
            let chain = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: miner)
            var headers: [(BlockHeader, BlockHeader)] = []
            for _ in 0..<blocks {
                let parent = chain.head
                let built = try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: parent.timestamp + 1)
                let sealed = try miner.seal(built.block, chain: chain, stop: { false })
                try chain.importBlock(built, sealed: sealed)
                headers.append((sealed.header, parent))
            }
            let stats = miner.sealingStats ?? SealingStats()
            let light = try AnkrConsensus.sealer(pouw: { var p = params; p.reexecute = false; return p }(), miner: nil)
            let full = try AnkrConsensus.sealer(pouw: params, miner: nil)
            let tLight = Stopwatch.secondsPerCall(iterations: headers.count, rounds: 3) {
                for (h, p) in headers { try? light.verifySeal(h, parent: p, chain: chain) }
            } / Double(headers.count)
            let tFull = Stopwatch.secondsPerCall(iterations: 1, rounds: 3) {
                for (h, p) in headers { try? full.verifySeal(h, parent: p, chain: chain) }
            } / Double(headers.count)
            if json {
                let row: [String: JSON] = ["blocks": .int(clamping: blocks), "subtasks": .int(clamping: stats.subtasks), "fuel": .int(clamping: stats.fuel),
                                   "useful_fraction": .double(stats.usefulFraction), "seal_validation_ms": .double(tLight * 1000),
                                   "seal_validation_reexecute_ms": .double(tFull * 1000),
                                   "fuel_per_second": .double(Double(stats.fuel) / max(stats.secondsSealing, 1e-9))]
                print(JSON.object(row).text)
                return
            }
            print(String(format: "mined %d blocks: %d subtasks, %.0f M fuel, %.1f%% of sealing time in the Wasm sandbox",
                         blocks, stats.subtasks, Double(stats.fuel) / 1e6, stats.usefulFraction * 100))
            print(String(format: "seal validation: %.2f ms without re-execution, %.2f ms with", tLight * 1000, tFull * 1000))
        }
    }
}
