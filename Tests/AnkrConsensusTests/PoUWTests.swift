import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrStorage
import AnkrTestSupport
import Foundation
import WAT
import XCTest

final class PoUWTests: XCTestCase {
    let root = DevelopmentAttestationRoot(key: try! PrivateKey(hex: "0x" + String(repeating: "0d", count: 32)))
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    static let measurement = SimulatedEnclave.measurement(named: "ankr-miner-v1")

    func parameters(reexecute: Bool = true) -> PoUWParameters {
        // A tiny difficulty so a test block wins after a few subtasks.
        PoUWParameters(policy: AttestationPolicy(trustedRoots: [root.publicKey], allowedMeasurements: [Self.measurement], allowSimulated: true,
                                                 maxAge: nil),
                       blockTimeSeconds: 5, minimumDifficulty: UInt256(200_000), reexecute: reexecute)
    }

    func miner(name: String = "ankr-miner-v1", root: DevelopmentAttestationRoot? = nil, duty: Double = 1) throws -> PoUWSealer {
        let platform = try SimulatedPlatform(id: Keccak256.h256([1]), key: PrivateKey.random(), root: root ?? self.root)
        return try PoUWSealer(parameters: parameters(), enclave: SimulatedEnclave(name: name, platform: platform), duty: duty, passesPerSubtask: 200)
    }

    /// Starts when the test starts, so block timestamps and the enclaves' attestation clocks agree, as
    /// on a live chain. (Not when the instance is made: XCTest on Linux makes every instance at launch,
    /// minutes before the last tests run, and the evidence would then look dated in the future.)
    var genesis: Genesis!

    override func setUp() {
        super.setUp()
        genesis = Genesis(chainID: 7331, difficulty: UInt256(200_000), timestamp: UInt64(Date().timeIntervalSince1970),
                          alloc: [try! Address(hex: "0x" + String(repeating: "a1", count: 20)): .init(balance: UInt256(1_000_000_000_000_000_000))])
    }

    /// Mines `count` blocks on `chain`; returns them.
    func mine(_ chain: Blockchain, count: Int, timestampStep: UInt64 = 2) throws -> [Block] {
        var out = [Block]()
        for _ in 0..<count {
            let built = try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: chain.head.timestamp + timestampStep)
            let sealed = try chain.sealer.seal(built.block, chain: chain, stop: { false })
            try chain.importBlock(built, sealed: sealed)
            out.append(sealed)
        }
        return out
    }

    func testAMinerMinesRealBlocksThatAValidatorAccepts() throws {
        let mining = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: try miner())
        let blocks = try mine(mining, count: 3)
        XCTAssertEqual(mining.head.number, 3)
        let seal = try PoUWSeal(encoded: blocks[0].header.seal)
        XCTAssertTrue(seal.statement.win)
        XCTAssertGreaterThan(seal.statement.fuel, 1000)
        XCTAssertEqual(seal.evidence?.report.measurement, Self.measurement, "an unregistered miner's seal carries its evidence")
        XCTAssertEqual(seal.platformID, Keccak256.h256([1]))

        // A validator without an enclave re-executes every winning subtask and accepts the chain.
        let validator = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: PoUWSealer(parameters: parameters(), enclave: nil))
        for b in blocks { try validator.importBlock(b) }
        XCTAssertEqual(validator.head.hash, mining.head.hash)
        XCTAssertThrowsError(try validator.sealer.seal(blocks[0], chain: validator, stop: { false })) { XCTAssertEqual($0 as? PoUWSealError, .noEnclave) }
    }

    func testADutyCycleRestsBetweenSubtasksWithoutCountingTheRestAsSealing() throws {
        let sealer = try miner(duty: 0.25)
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: sealer)
        let started = Date()
        let blocks = try mine(chain, count: 2)
        // The rest the last winning subtask earned is taken before the next subtask, not before its seal:
        // a call that is told to stop at once takes it and gives up.
        XCTAssertThrowsError(try sealer.seal(blocks[1], chain: chain, stop: { true })) { XCTAssertEqual($0 as? SealError, .abandoned) }
        let wall = Date().timeIntervalSince(started)
        let stats = sealer.stats
        // Busy a quarter of the time: at least three times the computing time was spent resting.
        XCTAssertGreaterThanOrEqual(wall, stats.secondsInSandbox * 4 * 0.95)
        XCTAssertGreaterThan(stats.usefulFraction, 0.5, "resting is not counted as sealing overhead")
        XCTAssertEqual(try miner(duty: 7).duty, 1)
        XCTAssertEqual(try miner(duty: .nan).duty, 1)
        XCTAssertEqual(try miner(duty: 0).duty, 0.01)
    }

    func testEveryBrokenSealIsRejectedWithItsOwnError() throws {
        let mining = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: try miner())
        let parent = mining.head
        let block = try mining.sealer.seal(try mining.produceBlock(candidates: [], coinbase: .zero, timestamp: parent.timestamp + 2).block, chain: mining, stop: { false })
        let validator = try PoUWSealer(parameters: parameters(), enclave: nil)
        XCTAssertNoThrow(try validator.verifySeal(block.header, parent: parent, chain: mining))
        let good = try PoUWSeal(encoded: block.header.seal)

        func expect(_ error: PoUWSealError, _ mutate: (inout BlockHeader, inout PoUWSeal) throws -> Void, line: UInt = #line) throws {
            var header = block.header
            var seal = good
            try mutate(&header, &seal)
            header.seal = seal.encoded
            XCTAssertThrowsError(try validator.verifySeal(header, parent: parent, chain: mining), line: line) {
                XCTAssertEqual($0 as? PoUWSealError, error, line: line)
            }
        }

        try expect(.wrongTemplate) { h, _ in h.extraData = [1] }
        try expect(.wrongTarget) { _, s in s.statement.target = s.statement.target &- .one }
        try expect(.wrongDifficulty(expected: block.header.difficulty, actual: block.header.difficulty &+ .one)) { h, _ in
            h.difficulty = h.difficulty &+ .one
        }
        try expect(.notAWin) { _, s in s.statement.win = false }
        try expect(.badStatementSignature) { _, s in s.statement.fuel += 1 }
        try expect(.badStatementSignature) { _, s in s.signature = try PrivateKey.random().sign(hash: s.statement.hash).rsv }
        // Evidence from an unknown measurement, an untrusted root, or bound to another key.
        let evilEnclave = SimulatedEnclave(name: "evil", platform: try SimulatedPlatform(id: Keccak256.h256([2]), key: PrivateKey.random(), root: root))
        try expect(.attestation(.measurementNotAllowed(SimulatedEnclave.measurement(named: "evil")))) { _, s in
            s.evidence = try evilEnclave.attest(userData: s.statement.templateHash.bytes)
        }
        let rogueRoot = DevelopmentAttestationRoot(key: PrivateKey.random())
        let rogue = SimulatedEnclave(name: "ankr-miner-v1", platform: try SimulatedPlatform(id: Keccak256.h256([3]), key: PrivateKey.random(), root: rogueRoot))
        try expect(.attestation(.untrustedRoot)) { _, s in s.evidence = try rogue.attest(userData: s.statement.templateHash.bytes) }
        try expect(.attestation(.keyNotBound)) { _, s in s.evidence?.enclaveKey = PrivateKey.random().publicKey.compressed }
        try expect(.attestation(.unexpectedUserData)) { _, s in
            let honest = SimulatedEnclave(name: "ankr-miner-v1", platform: try SimulatedPlatform(id: Keccak256.h256([4]), key: PrivateKey.random(), root: root))
            s.evidence = try honest.attest(userData: [UInt8](repeating: 9, count: 32))
        }
        // The platform the seal names must be the attested one; without evidence the key must be registered.
        try expect(.wrongPlatform(claimed: Keccak256.h256([9]), attested: good.platformID)) { _, s in s.platformID = Keccak256.h256([9]) }
        let signer = try XCTUnwrap(good.evidence.flatMap { try? PublicKey($0.enclaveKey) })
        try expect(.unregisteredEnclave(signer.address)) { _, s in s.evidence = nil }
        // Inputs and re-execution: the enclave signed it, but the work does not check out.
        try expect(.inputMismatch) { _, s in s.input[4] ^= 1 }
    }

    func testReexecutionCatchesAForgedResult() throws {
        // A compromised enclave (its key leaked) signs a statement whose output hash is wrong.
        let platform = try SimulatedPlatform(id: Keccak256.h256([5]), key: PrivateKey.random(), root: root)
        let leaked = PrivateKey.random()
        let enclave = SimulatedEnclave(name: "ankr-miner-v1", platform: platform, key: leaked)
        let mining = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: try miner())
        let parent = mining.head
        let block = try mining.sealer.seal(try mining.produceBlock(candidates: [], coinbase: .zero, timestamp: parent.timestamp + 2).block, chain: mining, stop: { false })
        var seal = try PoUWSeal(encoded: block.header.seal)
        seal.statement.outputHash = Keccak256.h256([0xba, 0xd])
        seal.signature = try leaked.sign(hash: seal.statement.hash).rsv
        seal.evidence = try enclave.attest(userData: seal.statement.templateHash.bytes)
        seal.platformID = platform.id
        var header = block.header
        header.seal = seal.encoded
        XCTAssertThrowsError(try PoUWSealer(parameters: parameters(), enclave: nil).verifySeal(header, parent: parent, chain: mining)) {
            XCTAssertEqual($0 as? PoUWSealError, .reexecutionMismatch("output hash differs"))
        }
        // Without re-execution the same seal passes: that is what re-execution is for.
        XCTAssertNoThrow(try PoUWSealer(parameters: parameters(reexecute: false), enclave: nil).verifySeal(header, parent: parent, chain: mining))
        seal.statement.fuel -= 1
        seal.signature = try leaked.sign(hash: seal.statement.hash).rsv
        header.seal = seal.encoded
        XCTAssertThrowsError(try PoUWSealer(parameters: parameters(), enclave: nil).verifySeal(header, parent: parent, chain: mining)) {
            guard case .reexecutionMismatch = $0 as? PoUWSealError else { return XCTFail("\($0)") }
        }
    }

    func testBlocksFromTheFutureAreRefused() throws {
        let mining = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: try miner())
        let parent = mining.head
        let block = try mining.sealer.seal(try mining.produceBlock(candidates: [], coinbase: .zero, timestamp: parent.timestamp + 600).block, chain: mining, stop: { false })
        XCTAssertThrowsError(try PoUWSealer(parameters: parameters(), enclave: nil).verifySeal(block.header, parent: parent, chain: mining)) {
            guard case .fromTheFuture = $0 as? PoUWSealError else { return XCTFail("\($0)") }
        }
    }

    func testDifficultyRetargetsTowardTheBlockTime() {
        let d = UInt256(1_000_000)
        let min = UInt256(1000)
        XCTAssertEqual(Difficulty.next(parentDifficulty: d, parentTimestamp: 100, timestamp: 105, blockTime: 5, minimum: min), d)
        XCTAssertEqual(Difficulty.next(parentDifficulty: d, parentTimestamp: 100, timestamp: 101, blockTime: 5, minimum: min), UInt256(1_100_000))
        XCTAssertEqual(Difficulty.next(parentDifficulty: d, parentTimestamp: 100, timestamp: 100, blockTime: 5, minimum: min), UInt256(1_100_000))
        XCTAssertEqual(Difficulty.next(parentDifficulty: d, parentTimestamp: 100, timestamp: 110, blockTime: 5, minimum: min), UInt256(875_000))
        XCTAssertEqual(Difficulty.next(parentDifficulty: d, parentTimestamp: 100, timestamp: 200, blockTime: 5, minimum: min), UInt256(625_000))
        XCTAssertEqual(Difficulty.next(parentDifficulty: UInt256(1000), parentTimestamp: 100, timestamp: 900, blockTime: 5, minimum: min), min)
        // Unbiased: averaged over exponential block times with the target mean, the change is about zero.
        var rng = SplitMix64(seed: 9)
        var total = 0.0
        for _ in 0..<20_000 {
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            let elapsed = UInt64((-log(1 - u) * 50).rounded())  // blockTime 50 s keeps rounding small
            let n = Difficulty.next(parentDifficulty: d, parentTimestamp: 0, timestamp: elapsed, blockTime: 50, minimum: .one)
            total += Double(n.w0) - 1_000_000
        }
        XCTAssertLessThan(abs(total / 20_000), 2_500)  // well under 1% of d per block
    }

    func testDifficultyUnderAnyGenesisBlockTimeIsComputedNotATrap() {
        // 4·blockTime and 8·blockTime used to overflow 64 bits and trap in every node for blockTimeSeconds ≥ 2^61.
        let d = UInt256(1_000_000), min = UInt256(1_000)
        for blockTime in [UInt64.max, UInt64.max / 4 + 1, 1 << 61] {
            XCTAssertEqual(Difficulty.next(parentDifficulty: d, parentTimestamp: 100, timestamp: 101, blockTime: blockTime, minimum: min), d,
                           "a block time beyond d·8 seconds adjusts by nothing")
        }
        // The extremes saturate: the largest rise stops at the top, the largest fall stays above zero.
        XCTAssertEqual(Difficulty.next(parentDifficulty: .max, parentTimestamp: 0, timestamp: 0, blockTime: .max, minimum: min), .max)
        XCTAssertLessThan(Difficulty.next(parentDifficulty: .max, parentTimestamp: 0, timestamp: .max, blockTime: 1 << 62, minimum: min), .max)
    }

    func testBuiltinWorkloadIsTheExampleModule() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/work/fnv-chain.wat")
        XCTAssertEqual(try wat2wasm(String(contentsOf: example, encoding: .utf8)), try BuiltinWorkload.module().bytes)
    }
}

final class AnomalyTestTests: XCTestCase {
    /// The threshold is where the Poisson tail drops to α (checked against Foundation's exp).
    func testThresholdMatchesThePoissonTail() {
        for (window, rate, alpha) in [(100, 0.5, 1e-6), (100, 0.25, 1e-3), (1000, 0.1, 1e-9)] {
            let test = AnomalyTest(window: window, rate: rate, alpha: alpha)
            let lambda = rate * Double(window)
            func tail(_ k: Int) -> Double {  // P(X ≥ k)
                var cdf = 0.0, term = Foundation.exp(-lambda)
                for i in 0..<k { cdf += term; term *= lambda / Double(i + 1) }
                return 1 - cdf
            }
            XCTAssertLessThanOrEqual(tail(test.threshold), alpha * 1.000001, "\(window) \(rate)")
            XCTAssertGreaterThan(tail(test.threshold - 1), alpha, "\(window) \(rate)")
        }
        XCTAssertEqual(AnomalyTest(window: 100, rate: 1, alpha: 1e-6).threshold, 101)  // off
    }

    func testAPlatformThatWinsTooOftenIsRejected() throws {
        let root = DevelopmentAttestationRoot(key: PrivateKey.random())
        let m = SimulatedEnclave.measurement(named: "m")
        var params = PoUWParameters(policy: AttestationPolicy(trustedRoots: [root.publicKey], allowedMeasurements: [m], allowSimulated: true, maxAge: nil),
                                    blockTimeSeconds: 5, minimumDifficulty: UInt256(100_000))
        // A platform holding 10% of the power wins ≥ 6 of 10 blocks with probability < 1e-4.
        params.anomaly = AnomalyTest(window: 10, rate: 0.1, alpha: 1e-4)
        let platform = try SimulatedPlatform(id: Keccak256.h256([7]), key: PrivateKey.random(), root: root)
        let sealer = try PoUWSealer(parameters: params, enclave: SimulatedEnclave(name: "m", platform: platform), passesPerSubtask: 100)
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(100_000), timestamp: UInt64(Date().timeIntervalSince1970))
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: sealer)
        var rejectedAt: Int?
        for i in 1...12 {
            let block = try sealer.seal(try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: chain.head.timestamp + 1).block,
                                        chain: chain, stop: { false })
            do {
                try chain.importBlock(block)
            } catch let e as PoUWSealError {
                guard case .platformAnomaly(let count, let threshold) = e else { return XCTFail("\(e)") }
                XCTAssertEqual(count, threshold)
                rejectedAt = i
                break
            }
        }
        XCTAssertEqual(rejectedAt, params.anomaly.threshold)
    }
}

