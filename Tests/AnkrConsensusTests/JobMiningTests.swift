import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrSandbox
import AnkrStorage
import AnkrWork
import Foundation
import WAT
import XCTest

/// The miner loop with paid work: subtasks come from a work source, count for the lottery, are
/// reported back for payment, and validators re-execute a job module they look up on chain.
final class JobMiningTests: XCTestCase {
    final class FixedJobs: WorkSource, @unchecked Sendable {
        let task: JobSubtask
        let lock = NSLock()
        var finishedResults: [SubtaskResult] = []
        var failures = 0
        init(_ task: JobSubtask) { self.task = task }
        func nextSubtask(parentHash: H256, chain: ChainReader) -> JobSubtask? { task }
        func finished(_ task: JobSubtask, result: SubtaskResult, chain: ChainReader) { lock.withLock { finishedResults.append(result) } }
        func failed(_ task: JobSubtask, error: Error) { lock.withLock { failures += 1 } }
    }

    /// The chain as a validator reads it, with `modules` stored in the WorkMarket at every block
    /// (as if a job had posted them).
    struct MarketModules: ChainReader {
        let chain: Blockchain
        let modules: [H256: [UInt8]]
        var chainID: UInt64 { chain.chainID }
        var head: BlockHeader { chain.head }
        func header(hash: H256) throws -> BlockHeader? { try chain.header(hash: hash) }
        func ancestors(of header: BlockHeader, count: Int) -> [BlockHeader] { chain.ancestors(of: header, count: count) }
        func state(at header: BlockHeader) -> WorldState {
            let state = chain.state(at: header)
            var market = WorkMarketState(state: state)
            for (hash, bytes) in modules { try? market.setModule(bytes, hash: hash) }
            return state
        }
    }

    let root = DevelopmentAttestationRoot(key: try! PrivateKey(hex: "0x" + String(repeating: "0d", count: 32)))

    func parameters() -> PoUWParameters {
        PoUWParameters(policy: AttestationPolicy(trustedRoots: [root.publicKey], allowedMeasurements: [SimulatedEnclave.measurement(named: "m")],
                                                 allowSimulated: true, maxAge: nil),
                       blockTimeSeconds: 5, minimumDifficulty: UInt256(100_000))
    }

    func sumModule() throws -> WorkModule {
        // Sums the input bytes, 200 times over: a little real work per subtask.
        try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 64))
              (func (export "run") (param $p i32) (param $n i32) (result i64)
                (local $i i32) (local $k i32) (local $s i32)
                (loop $outer
                  (local.set $i (i32.const 0))
                  (loop $inner
                    (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $inner (i32.lt_u (local.get $i) (local.get $n))))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $outer (i32.lt_u (local.get $k) (i32.const 200))))
                (i32.store (i32.const 0) (local.get $s))
                (i64.const 4)))
            """))
    }

    func testJobSubtasksWinBlocksAndValidatorsReexecuteTheJobModule() throws {
        let module = try sumModule()
        let task = JobSubtask(subtask: OpenSubtask(jobID: UInt256(7), index: 3, moduleHash: module.hash, maxFuel: 1_000_000, pricePerFuel: .one,
                                                   bond: .one),
                              module: module, input: Array("paid work".utf8))
        let platform = try SimulatedPlatform(id: Keccak256.h256([1]), key: .random(), root: root)
        let jobs = FixedJobs(task)
        let miner = try PoUWSealer(parameters: parameters(), enclave: SimulatedEnclave(name: "m", platform: platform), workSource: jobs)
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(100_000), timestamp: UInt64(Date().timeIntervalSince1970))
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: miner)
        let block = try miner.seal(try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: chain.head.timestamp + 2).block, chain: chain, stop: { false })

        let seal = try PoUWSeal(encoded: block.header.seal)
        XCTAssertEqual(seal.statement.moduleHash, module.hash)
        XCTAssertEqual(seal.statement.subtaskID, task.id)
        XCTAssertEqual(seal.input, task.input)
        XCTAssertFalse(jobs.finishedResults.isEmpty, "every run of a job subtask is reported for payment")
        XCTAssertEqual(Set(jobs.finishedResults).count, 1, "the same subtask gives the same fuel and output every time")
        XCTAssertEqual(jobs.finishedResults[0].fuelUsed, seal.statement.fuel)

        // A validator that cannot find the module refuses the block; one that finds it on chain re-executes and accepts.
        let blind = try PoUWSealer(parameters: parameters(), enclave: nil)
        XCTAssertThrowsError(try blind.verifySeal(block.header, parent: chain.head, chain: chain)) {
            XCTAssertEqual($0 as? PoUWSealError, .unknownModule(module.hash))
        }
        let validator = try PoUWSealer(parameters: parameters(), enclave: nil)
        XCTAssertNoThrow(try validator.verifySeal(block.header, parent: chain.head,
                                                  chain: MarketModules(chain: chain, modules: [module.hash: module.bytes])))
        // Bytes that do not hash to the named module are not accepted as it.
        let liar = try PoUWSealer(parameters: parameters(), enclave: nil)
        let other = try wat2wasm("(module (memory (export \"memory\") 1) (func (export \"alloc\") (param i32) (result i32) (i32.const 0)) (func (export \"run\") (param i32 i32) (result i64) (i64.const 0)))")
        XCTAssertThrowsError(try liar.verifySeal(block.header, parent: chain.head, chain: MarketModules(chain: chain, modules: [module.hash: other]))) {
            XCTAssertEqual($0 as? PoUWSealError, .unknownModule(module.hash))
        }
    }

    func testAJobModuleThatTrapsIsReportedAndMiningGoesOn() throws {
        let trap = try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "run") (param i32 i32) (result i64) unreachable))
            """))
        final class OnceThenNothing: WorkSource, @unchecked Sendable {
            let task: JobSubtask
            let lock = NSLock()
            var handed = false, failures = 0
            init(_ task: JobSubtask) { self.task = task }
            func nextSubtask(parentHash: H256, chain: ChainReader) -> JobSubtask? { lock.withLock { defer { handed = true }; return handed ? nil : task } }
            func finished(_ task: JobSubtask, result: SubtaskResult, chain: ChainReader) {}
            func failed(_ task: JobSubtask, error: Error) { lock.withLock { failures += 1 } }
        }
        let source = OnceThenNothing(JobSubtask(subtask: OpenSubtask(jobID: .one, index: 0, moduleHash: trap.hash, maxFuel: 1000, pricePerFuel: .one,
                                                                     bond: .one), module: trap, input: []))
        let platform = try SimulatedPlatform(id: Keccak256.h256([1]), key: .random(), root: root)
        let miner = try PoUWSealer(parameters: parameters(), enclave: SimulatedEnclave(name: "m", platform: platform), workSource: source,
                                   passesPerSubtask: 200)
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(100_000), timestamp: UInt64(Date().timeIntervalSince1970))
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: miner)
        let block = try miner.seal(try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: chain.head.timestamp + 2).block, chain: chain, stop: { false })
        XCTAssertEqual(source.failures, 1)
        XCTAssertNotEqual(try PoUWSeal(encoded: block.header.seal).statement.moduleHash, trap.hash, "the built-in workload took over")
    }

    /// Hands out one job subtask, then none; records why each run failed.
    final class OnceThenBuiltin: WorkSource, @unchecked Sendable {
        let task: JobSubtask
        let lock = NSLock()
        var handed = false
        var errors: [Error] = []
        init(_ task: JobSubtask) { self.task = task }
        func nextSubtask(parentHash: H256, chain: ChainReader) -> JobSubtask? { lock.withLock { defer { handed = true }; return handed ? nil : task } }
        func finished(_ task: JobSubtask, result: SubtaskResult, chain: ChainReader) {}
        func failed(_ task: JobSubtask, error: Error) { lock.withLock { errors.append(error) } }
    }

    func testASlowJobSubtaskIsAbandonedAtTheMinersDeadlineAndMiningGoesOn() throws {
        let spin = try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "run") (param i32 i32) (result i64) (loop $l (br $l)) (i64.const 0)))
            """))
        // About 10 s of fuel in a debug build (5 M fuel/s): without a wall-clock bound the miner waits for all of it.
        let fuel: UInt64 = 50_000_000
        var params = parameters()
        params.maxFuelPerSubtask = fuel
        let source = OnceThenBuiltin(JobSubtask(subtask: OpenSubtask(jobID: .one, index: 0, moduleHash: spin.hash, maxFuel: fuel, pricePerFuel: .one,
                                                                     bond: .one), module: spin, input: []))
        let platform = try SimulatedPlatform(id: Keccak256.h256([1]), key: .random(), root: root)
        let miner = try PoUWSealer(parameters: params, enclave: SimulatedEnclave(name: "m", platform: platform), workSource: source,
                                   passesPerSubtask: 200, minerDeadline: SubtaskDeadline(base: .milliseconds(300), slowestFuelPerSecond: .max))
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(100_000), timestamp: UInt64(Date().timeIntervalSince1970))
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: miner)
        let template = try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: chain.head.timestamp + 2).block
        let started = ContinuousClock.now
        let block = try miner.seal(template, chain: chain, stop: { false })
        let took = ContinuousClock.now - started
        XCTAssertLessThan(took, .milliseconds(2_500), "the miner waited \(took) for a subtask it should abandon after 300 ms")
        XCTAssertEqual(source.lock.withLock { source.errors.map { $0 as? WorkError } }, [.deadlineExceeded(milliseconds: 300)])
        XCTAssertNotEqual(try PoUWSeal(encoded: block.header.seal).statement.moduleHash, spin.hash, "the built-in workload took over")
    }

    func testAValidatorOutOfTimeRefusesTheBlockWithoutJudgingIt() throws {
        let platform = try SimulatedPlatform(id: Keccak256.h256([1]), key: .random(), root: root)
        let miner = try PoUWSealer(parameters: parameters(), enclave: SimulatedEnclave(name: "m", platform: platform))
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(100_000), timestamp: UInt64(Date().timeIntervalSince1970))
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: miner)
        let block = try miner.seal(try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: chain.head.timestamp + 2).block, chain: chain, stop: { false })
        // A validator whose bound has passed before the re-execution can finish (a built-in subtask takes milliseconds).
        let hurried = try PoUWSealer(parameters: parameters(), enclave: nil,
                                     validatorDeadline: SubtaskDeadline(base: .zero, slowestFuelPerSecond: .max))
        XCTAssertThrowsError(try hurried.verifySeal(block.header, parent: chain.head, chain: chain)) {
            XCTAssertEqual($0 as? PoUWSealError, .reexecutionUnfinished(.deadlineExceeded(milliseconds: 0)))
        }
        // The default bound is generous: the same seal verifies.
        XCTAssertNoThrow(try PoUWSealer(parameters: parameters(), enclave: nil).verifySeal(block.header, parent: chain.head, chain: chain))
    }
}
