import AnkrChain
import AnkrCrypto
import AnkrDCAP
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrSandbox
import AnkrWork
import Foundation

/// Consensus parameters of a PoUW chain (from genesis `config.ankr`).
public struct PoUWParameters: Sendable {
    public var policy: AttestationPolicy
    public var blockTimeSeconds: UInt64
    /// Floor of the difficulty, in expected instructions per block.
    public var minimumDifficulty: UInt256
    public var maxFuelPerSubtask: UInt64
    /// Validators re-run the winning subtask and compare fuel and output.
    public var reexecute: Bool
    /// The per-platform anomaly test (rate 1 disables it: one platform may win every block).
    public var anomaly: AnomalyTest
    /// DCAP collateral from genesis, for seals whose platform model has none in the EnclaveRegistry yet.
    public var genesisCollateral: [CollateralKey: Collateral] = [:]

    public init(policy: AttestationPolicy, blockTimeSeconds: UInt64 = 5, minimumDifficulty: UInt256 = UInt256(1 << 24),
                maxFuelPerSubtask: UInt64 = 50_000_000, reexecute: Bool = true,
                anomaly: AnomalyTest = AnomalyTest(window: 100, rate: 1, alpha: 1e-6)) {
        self.policy = policy; self.blockTimeSeconds = blockTimeSeconds; self.minimumDifficulty = minimumDifficulty
        self.maxFuelPerSubtask = maxFuelPerSubtask; self.reexecute = reexecute; self.anomaly = anomaly
    }
}

/// The PoUW ``Sealer``: mines with an enclave (when it has one) and validates everyone's seals.
public final class PoUWSealer: Sealer, @unchecked Sendable {
    public let parameters: PoUWParameters
    /// The miner's enclave (nil on a validator that does not mine).
    public let enclave: Enclave?
    let verifier: PolicyAttestationVerifier
    /// Validators re-execute seals here; miners run subtasks inside their enclave.
    let verifierSandbox = WasmSandbox()
    private let verifyLock = NSLock()
    /// Modules validators can re-execute, by hash.
    let modules: [H256: WorkModule]
    let builtin: WorkModule
    /// Passes of one built-in subtask over its 32 bytes; each pass is 540 fuel (about 17 operators per byte).
    let passes: UInt32

    /// A miner learns of a peer's block only between subtasks, so the subtask it is running then is
    /// fuel spent on a stale template while the block's winner is already racing for the next one.
    /// 1,000 passes (540,079 fuel, about 0.1 s in a debug build) keep that a small part of a block at
    /// the default minimum difficulty (2^24: 31 subtasks), and the per-subtask cost (randomness,
    /// instantiation; about 0.6 ms measured in a debug build) under 1%. The former 10,000 took about a
    /// second, three with a devnet miner's rest: over half of a 5 s block.
    public static let defaultPassesPerSubtask: UInt32 = 1_000
    /// Where a miner's time goes (useful work in the sandbox versus everything else in `seal`) and
    /// how many seals were re-executed to check them.
    private let statsLock = NSLock()
    private var _stats = SealingStats()
    public var stats: SealingStats { statsLock.withLock { _stats } }
    public var sealingStats: SealingStats? { stats }

    /// Share of the time the miner computes (0.01 ≤ duty ≤ 1); below 1 it rests between subtasks, so
    /// several miners (a devnet, a test suite) can share a few cores. Difficulty retargeting keeps
    /// block times whatever the total instruction power is.
    public let duty: Double
    private let restLock = NSLock()
    /// The rest the last subtask earned and the miner has not taken yet: it is taken before the next
    /// subtask, never between a winning subtask and its seal, so a resting miner's wins are not late
    /// (a late win loses the race to other miners' blocks, and the miner's share of blocks would fall
    /// below its share of fuel).
    private var owedRest = Duration.zero

    /// Paid work from the WorkMarket; without it (or when it has none) the miner runs the built-in workload.
    public let workSource: WorkSource?

    /// Modules a validator re-executed from the WorkMarket (stored on chain as of a seal's parent), compiled, by hash.
    private let moduleCacheLock = NSLock()
    private var moduleCache: [H256: WorkModule] = [:]

    /// How long the miner waits for one subtask before abandoning it (it is then neither sealed nor paid).
    public let minerDeadline: SubtaskDeadline
    /// How long a validator waits for the re-execution of a seal's subtask. Fuel alone decides the
    /// result; this bound only keeps a WasmKit bug from hanging block import, so it tolerates a
    /// machine far slower than any miner and grows with the seal's fuel. Running past it refuses the
    /// block for now (``PoUWSealError/reexecutionUnfinished(_:)``) without judging it invalid.
    public let validatorDeadline: SubtaskDeadline

    /// Defaults sized on the slowest build we run: a debug build's spin loop measured 5 M fuel/s on a
    /// loaded 2-core VM (release builds are far faster). The miner tolerates 5× slower than that (a
    /// 50 M subtask gets 52 s), a validator 25× slower (260 s): either only ever fires on a fault.
    public static let defaultMinerDeadline = SubtaskDeadline(base: .seconds(2), slowestFuelPerSecond: 1_000_000)
    public static let defaultValidatorDeadline = SubtaskDeadline(base: .seconds(10), slowestFuelPerSecond: 200_000)

    /// A sealer that validates every seal and, given an `enclave`, mines: running subtasks from
    /// `workSource` (or the built-in workload) for `duty` of the time.
    public init(parameters: PoUWParameters, enclave: Enclave?, workSource: WorkSource? = nil, duty: Double = 1,
                passesPerSubtask: UInt32 = PoUWSealer.defaultPassesPerSubtask,
                minerDeadline: SubtaskDeadline = PoUWSealer.defaultMinerDeadline,
                validatorDeadline: SubtaskDeadline = PoUWSealer.defaultValidatorDeadline) throws {
        self.parameters = parameters
        self.enclave = enclave
        self.workSource = workSource
        self.duty = min(1, max(0.01, duty.isFinite ? duty : 1))
        self.minerDeadline = minerDeadline
        self.validatorDeadline = validatorDeadline
        self.verifier = PolicyAttestationVerifier(policy: parameters.policy)
        self.builtin = try BuiltinWorkload.module()
        self.modules = [builtin.hash: builtin]
        self.passes = passesPerSubtask
    }

    /// Blocks stamped further ahead of the local clock are refused (as geth does with 15 s).
    public static let maxFutureSeconds: UInt64 = 15

    public func difficulty(parent: BlockHeader, timestamp: UInt64) -> UInt256 {
        Difficulty.next(parentDifficulty: parent.difficulty, parentTimestamp: parent.timestamp, timestamp: timestamp,
                        blockTime: parameters.blockTimeSeconds, minimum: parameters.minimumDifficulty)
    }

    /// The miner loop of the white paper: run subtasks until the lottery wins, then seal.
    /// PoUW blocks carry the time they were sealed and may not run ahead of the clock.
    public var stampsWallClock: Bool { true }

    public func seal(_ block: Block, chain: ChainReader, stop: @Sendable () -> Bool) throws -> Block {
        guard let enclave else { throw PoUWSealError.noEnclave }
        let clock = ContinuousClock()
        let started = clock.now
        var inSandbox = Duration.zero, idle = Duration.zero
        var subtasks = 0, fuel: UInt64 = 0
        defer {
            let total = clock.now - started - idle
            statsLock.withLock {
                _stats.subtasks += subtasks
                _stats.fuel += fuel
                _stats.secondsInSandbox += inSandbox.seconds
                _stats.secondsSealing += total.seconds
            }
        }
        let template = block.header.sealHash
        let target = Lottery.target(difficulty: block.header.difficulty)
        while true {
            // Resting first, then asking `stop`, means a subtask never starts on a template the rest made stale.
            idle += rest()
            if stop() { throw SealError.abandoned }
            let job = workSource?.nextSubtask(parentHash: block.header.parentHash, chain: chain)
            let module: WorkModule, input: [UInt8], subtaskID: H256, budget: UInt64
            if let job {
                (module, input, subtaskID, budget) = (job.module, job.input, job.id, min(job.subtask.maxFuel, parameters.maxFuelPerSubtask))
            } else {
                let seed = try enclave.randomBytes(32)
                (module, input, subtaskID, budget) = (builtin, BuiltinWorkload.input(passes: passes, seed: seed),
                                                      Keccak256.h256(template.bytes + seed), parameters.maxFuelPerSubtask)
            }
            let t0 = clock.now
            // The enclave runs the subtask, meters it and draws the lottery; only it can sign a winning statement.
            let outcome = Result {
                try enclave.mine(module: module, input: input, fuel: budget, target: target, deadline: minerDeadline.duration(forFuel: budget),
                                 template: template, subtaskID: subtaskID)
            }
            let ran = clock.now - t0
            inSandbox += ran
            // Busy `duty` of the time: the rest in proportion is owed, and taken before the next subtask.
            if duty < 1 { restLock.withLock { owedRest += ran * ((1 - duty) / duty) } }
            subtasks += 1
            let mined: MinedSubtask
            switch outcome {
            case .success(let m): mined = m
            case .failure(let error):
                // A job's module may trap, run out of fuel or past the deadline: that subtask cannot be sealed or paid.
                guard let job else { throw error }
                workSource?.failed(job, error: error)
                continue
            }
            fuel += mined.fuelUsed
            if let job { workSource?.finished(job, result: mined.result, chain: chain) }
            guard mined.won, input.count <= PoUWSeal.maxInputBytes else { continue }
            let statement = PoUWStatement(winning: module, input: input, output: mined.output, fuel: mined.fuelUsed, template: template,
                                          target: target, subtaskID: subtaskID)
            let (platformID, evidence) = try attestation(of: enclave, for: block.header, chain: chain)
            let seal = PoUWSeal(statement: statement, signature: mined.statementSignature, input: input, platformID: platformID, evidence: evidence)
            var sealed = block
            sealed.header.seal = seal.encoded
            return sealed
        }
    }

    /// Takes the rest owed by earlier subtasks (of this block or the last); returns how long it was.
    /// Resting is not sealing time.
    private func rest() -> Duration {
        let owed = restLock.withLock { () -> Duration in
            defer { owedRest = .zero }
            return owedRest
        }
        if owed > .zero { Thread.sleep(forTimeInterval: owed.seconds) }
        return owed
    }

    /// The module a seal names: the built-in workload, or one the WorkMarket stored by the parent block.
    func module(_ hash: H256, parent: BlockHeader, chain: ChainReader) -> WorkModule? {
        if let m = modules[hash] { return m }
        if let m = moduleCacheLock.withLock({ moduleCache[hash] }) { return m }
        var market = WorkMarketState(state: chain.state(at: parent))
        guard let bytes = try? market.module(hash), !bytes.isEmpty, let m = try? WorkModule(bytes: bytes), m.hash == hash else { return nil }
        moduleCacheLock.withLock { moduleCache[hash] = m }
        return m
    }

    /// Every check, in order; the first failure names itself.
    public func verifySeal(_ header: BlockHeader, parent: BlockHeader, chain: ChainReader) throws {
        let now = UInt64(Date().timeIntervalSince1970)
        guard header.timestamp <= now + Self.maxFutureSeconds else {
            throw PoUWSealError.fromTheFuture(seconds: header.timestamp - now)
        }
        let seal = try PoUWSeal(encoded: header.seal)
        let s = seal.statement
        let expected = difficulty(parent: parent, timestamp: header.timestamp)
        guard header.difficulty == expected else { throw PoUWSealError.wrongDifficulty(expected: expected, actual: header.difficulty) }
        guard s.templateHash == header.sealHash else { throw PoUWSealError.wrongTemplate }
        guard s.target == Lottery.target(difficulty: header.difficulty) else { throw PoUWSealError.wrongTarget }
        guard s.win else { throw PoUWSealError.notAWin }
        guard s.fuel <= parameters.maxFuelPerSubtask else { throw PoUWSealError.fuelAboveLimit(s.fuel, limit: parameters.maxFuelPerSubtask) }
        guard let sig = try? Signature(rsv: seal.signature), let signer = try? sig.recoverPublicKey(hash: s.hash) else {
            throw PoUWSealError.badStatementSignature
        }
        try checkEnclave(signer, of: seal, header: header, parent: parent, chain: chain)
        guard Keccak256.h256(seal.input) == s.inputHash else { throw PoUWSealError.inputMismatch }
        if parameters.anomaly.threshold <= parameters.anomaly.window {
            // Ancestors' platform ids were checked when they were imported, so they are read, not re-verified.
            let window = chain.ancestors(of: parent, count: parameters.anomaly.window - 1)
            let count = 1 + window.filter { (try? PoUWSeal(encoded: $0.seal))?.platformID == seal.platformID }.count
            if parameters.anomaly.isAnomalous(count: count) {
                throw PoUWSealError.platformAnomaly(count: count, threshold: parameters.anomaly.threshold)
            }
        }
        guard parameters.reexecute else { return }
        guard let module = module(s.moduleHash, parent: parent, chain: chain) else { throw PoUWSealError.unknownModule(s.moduleHash) }
        statsLock.withLock { _stats.reexecutions += 1 }
        let again: SubtaskResult
        do {
            again = try verifyLock.withLock {
                try verifierSandbox.run(module, input: seal.input, fuel: s.fuel, deadline: validatorDeadline.duration(forFuel: s.fuel))
            }
        } catch let e as WorkError where e.isLocalBound {
            throw PoUWSealError.reexecutionUnfinished(e)
        } catch {
            throw PoUWSealError.reexecutionMismatch("\(error)")
        }
        guard again.fuelUsed == s.fuel else { throw PoUWSealError.reexecutionMismatch("fuel \(again.fuelUsed), seal says \(s.fuel)") }
        guard again.outputHash == s.outputHash else { throw PoUWSealError.reexecutionMismatch("output hash differs") }
    }

    /// The statement's signer must be an attested miner enclave on the seal's platform: registered in
    /// the EnclaveRegistry as of the parent block (then the seal carries no evidence), or attested by
    /// the seal's own evidence, bound to this block template and verified at the block's timestamp
    /// with the collateral the registry holds for its platform model as of the parent.
    func checkEnclave(_ signer: PublicKey, of seal: PoUWSeal, header: BlockHeader, parent: BlockHeader, chain: ChainReader) throws {
        let state = chain.state(at: parent)
        guard let evidence = seal.evidence else {
            guard let registration = EnclaveRegistry.registration(of: signer.address, role: .miner, state: state, time: header.timestamp) else {
                throw PoUWSealError.unregisteredEnclave(signer.address)
            }
            guard registration.platformID == seal.platformID else {
                throw PoUWSealError.wrongPlatform(claimed: seal.platformID, attested: registration.platformID)
            }
            return
        }
        let claims: AttestationClaims
        do {
            claims = try verifier.verify(evidence, now: header.timestamp, expectedUserData: seal.statement.templateHash.bytes,
                                         collateral: EnclaveRegistry.collateral(for: evidence, state: state, genesis: parameters.genesisCollateral))
        } catch let e as AttestationError {
            throw PoUWSealError.attestation(e)
        }
        guard signer == claims.enclaveKey else { throw PoUWSealError.badStatementSignature }
        // Revocations posted to the registry apply to seals with evidence as to registrations.
        guard !EnclaveRegistry.isRevoked(pckSerial: claims.pckSerial, state: state) else { throw PoUWSealError.attestation(.revoked) }
        guard claims.platformID == seal.platformID else { throw PoUWSealError.wrongPlatform(claimed: seal.platformID, attested: claims.platformID) }
    }

    /// What a miner's seal carries about its enclave: its registration's platform when the key has a
    /// live miner registration as of the parent, else fresh evidence bound to this template. The miner
    /// verifies its own evidence as validators will, so a misconfigured enclave (a measurement genesis
    /// does not allow, an outdated platform) fails here, loudly, instead of in every peer's import.
    func attestation(of enclave: Enclave, for header: BlockHeader, chain: ChainReader) throws -> (H256, AttestationEvidence?) {
        guard let parent = try chain.header(hash: header.parentHash) else { throw PoUWSealError.malformed("the template's parent is unknown") }
        let state = chain.state(at: parent)
        if let registration = EnclaveRegistry.registration(of: enclave.publicKey.address, role: .miner, state: state, time: header.timestamp) {
            return (registration.platformID, nil)
        }
        let evidence = try enclave.attest(userData: header.sealHash.bytes)
        do {
            let claims = try verifier.verify(evidence, now: header.timestamp, expectedUserData: header.sealHash.bytes,
                                             collateral: EnclaveRegistry.collateral(for: evidence, state: state, genesis: parameters.genesisCollateral))
            guard !EnclaveRegistry.isRevoked(pckSerial: claims.pckSerial, state: state) else { throw AttestationError.revoked }
            return (claims.platformID, evidence)
        } catch let e as AttestationError {
            throw PoUWSealError.attestation(e)
        }
    }
}
