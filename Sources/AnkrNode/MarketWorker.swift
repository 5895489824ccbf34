import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrSandbox
import AnkrWork
import Foundation
import Logging

/// The miner's work client: pulls open WorkMarket subtasks from the chain for the sealer to run,
/// and claims each finished one with a `submitResult` transaction signed by the worker key (which
/// also posts the bond and receives the payment).
final class MarketWorker: WorkSource, @unchecked Sendable {
    let mempool: Mempool
    let parameters: WorkMarket.Parameters
    let enclave: Enclave
    let key: PrivateKey
    let logger: Logger

    private let lock = NSLock()
    /// Subtasks this miner already ran (job id:index → head number then), so it does not run them twice.
    private var attempted: [String: UInt64] = [:]
    private var modules: [H256: WorkModule] = [:]
    private var warnedAboutFunds = false
    /// A result this worker claimed whose bond it has yet to take back.
    private struct BondClaim {
        var missingSince: UInt64?
        var reclaimSentAt: UInt64?
    }
    private var bonds: [OpenSubtask: BondClaim] = [:]
    /// The open subtasks at the last template parent seen.
    private var openAtParent: (parent: H256, open: [OpenSubtask])?
    /// The block number on which the last miner registration was sent (one per 32 blocks, so a refused one is not spammed).
    private var registrationSentAt: UInt64?

    /// Priority fee offered on result transactions (1 gwei).
    static let tip = UInt256(1_000_000_000)

    /// The worker's transactions enter the pool like anyone's; the pool's followers gossip them and
    /// wake the producer.
    init(mempool: Mempool, parameters: WorkMarket.Parameters, enclave: Enclave, key: PrivateKey, logger: Logger) {
        self.mempool = mempool; self.parameters = parameters; self.enclave = enclave; self.key = key; self.logger = logger
    }

    private func submit(_ tx: Transaction, chain: ChainReader) throws -> H256 {
        let head = chain.head
        return try mempool.add(tx, state: chain.state(at: head), head: head)
    }

    func nextSubtask(parentHash: H256, chain: ChainReader) -> JobSubtask? {
        // No open work on this parent (the common case): nothing to read.
        if lock.withLock({ openAtParent?.parent == parentHash && openAtParent?.open.isEmpty == true }) { return nil }
        guard let parent = try? chain.header(hash: parentHash) else { return nil }
        let state = chain.state(at: parent)
        var market = WorkMarketState(state: state)
        // The open subtasks only change with the parent: scan the market once per template parent,
        // not once per subtask the miner runs on it.
        let cached = lock.withLock { openAtParent?.parent == parentHash ? openAtParent?.open : nil }
        let open: [OpenSubtask]
        if let cached {
            open = cached
        } else {
            reclaimBonds(at: parent, &market, chain: chain)
            guard let scanned = try? market.openSubtasks(parameters: parameters) else { return nil }
            lock.withLock {
                openAtParent = (parentHash, scanned)
                attempted = attempted.filter { $0.value + 256 > parent.number }
            }
            open = scanned
        }
        guard !open.isEmpty else { return nil }
        // Results are signed by the enclave key, which must hold a live miner registration.
        guard registered(on: parent, state: state, chain: chain) else { return nil }
        let claimed = claimedInPool()
        let fresh = lock.withLock { open.filter { attempted[Self.name($0)] == nil && !claimed.contains(Self.name($0)) } }
        // Miners pick at random so several of them spread over a job instead of racing for one subtask.
        guard let pick = fresh.randomElement() else { return nil }
        let reserve = pick.bond &+ UInt256(2_000_000) &* (parent.baseFeePerGas &* UInt256(2) &+ Self.tip)
        guard let balance = try? state.balance(key.address), balance >= reserve else {
            let warn = lock.withLock { () -> Bool in defer { warnedAboutFunds = true }; return !warnedAboutFunds }
            if warn { logger.warning("worker cannot cover a result bond; running the built-in workload", metadata: ["worker": "\(key.address.checksummed)", "bond": "\(pick.bond)"]) }
            return nil
        }
        lock.withLock { attempted[Self.name(pick)] = parent.number }
        guard let module = module(pick.moduleHash, &market), let input = try? market.input(job: pick.jobID, index: pick.index) else { return nil }
        return JobSubtask(subtask: pick, module: module, input: input)
    }

    func finished(_ task: JobSubtask, result: SubtaskResult, chain: ChainReader) {
        // Another worker's claim may have arrived by gossip while this one ran: a second would only revert.
        if claimedInPool().contains(Self.name(task.subtask)) {
            logger.info("subtask ran, but another worker's result is already pooled", metadata: Self.metadata(task.subtask))
            return
        }
        do {
            let data = try WorkMarket.submitResultCall(chainID: chain.chainID, subtask: task.subtask, input: task.input, result: result,
                                                       worker: key.address, enclave: enclave)
            let head = chain.head
            let state = chain.state(at: head)
            // Dry-run on a throwaway state: it prices the call and skips a result someone else already claimed.
            var probe = Transaction.dynamicFee(chainID: chain.chainID, nonce: 0, maxPriorityFeePerGas: Self.tip,
                                               maxFeePerGas: head.baseFeePerGas &* UInt256(2) &+ Self.tip, gasLimit: 0,
                                               to: WorkMarket.address, value: task.subtask.bond, data: data)
            let intrinsic = IntrinsicGas.of(probe, fork: .cancun).uint64 ?? 0
            let context = BlockContext(chainID: chain.chainID, coinbase: head.coinbase, number: head.number + 1,
                                       timestamp: UInt64(Date().timeIntervalSince1970), gasLimit: head.gasLimit, baseFee: head.baseFeePerGas)
            let contract = WorkMarket(parameters: parameters)
            try state.addBalance(WorkMarket.address, task.subtask.bond)
            let dry = try contract.call(SystemCall(address: WorkMarket.address, caller: key.address, value: task.subtask.bond, input: data,
                                                   gasAvailable: head.gasLimit > intrinsic ? head.gasLimit - intrinsic : 0, block: context), state: state)
            probe.gasLimit = intrinsic + dry.gasUsed + dry.gasUsed / 4
            probe.nonce = try mempool.pendingNonce(key.address, state: chain.state(at: head))
            let hash = try submit(try probe.signed(with: key), chain: chain)
            lock.withLock { bonds[task.subtask] = BondClaim() }
            logger.info("subtask result submitted", metadata: Self.metadata(task.subtask).merging(["fuel": "\(result.fuelUsed)", "tx": "\(hash)"]) { $1 })
        } catch {
            logger.warning("subtask not claimed", metadata: Self.metadata(task.subtask).merging(["error": "\(error)"]) { $1 })
        }
    }

    /// Sends `reclaimBond` for each claimed result whose dispute window has closed (again after 32
    /// blocks if the first did not land); forgets results that were disputed away or never landed.
    private func reclaimBonds(at parent: BlockHeader, _ market: inout WorkMarketState, chain: ChainReader) {
        for (task, var claim) in lock.withLock({ bonds }) {
            defer { lock.withLock { if bonds[task] != nil { bonds[task] = claim } } }
            let found: WorkResult?
            do { found = try market.result(job: task.jobID, index: task.index) } catch { continue }
            guard let result = found else {
                // Still pooled, or disputed away: give it 64 blocks to appear.
                let since = claim.missingSince ?? parent.number
                claim.missingSince = since
                if parent.number > since + 64 { lock.withLock { _ = bonds.removeValue(forKey: task) } }
                continue
            }
            guard result.worker == key.address, !result.bondReturned else {
                lock.withLock { _ = bonds.removeValue(forKey: task) }
                continue
            }
            claim.missingSince = nil
            guard parent.number > result.submittedAt + parameters.disputeWindow else { continue }
            if let sent = claim.reclaimSentAt, parent.number <= sent + 32 { continue }
            do {
                let data = try ABI.encodeCall("reclaimBond(uint256,uint256)", [.uint(task.jobID), .uint(UInt256(task.index))])
                let tx = Transaction.dynamicFee(chainID: chain.chainID, nonce: try mempool.pendingNonce(key.address, state: chain.state(at: parent)),
                                                maxPriorityFeePerGas: Self.tip, maxFeePerGas: parent.baseFeePerGas &* UInt256(2) &+ Self.tip,
                                                gasLimit: 100_000, to: WorkMarket.address, value: .zero, data: data)
                let hash = try submit(try tx.signed(with: key), chain: chain)
                claim.reclaimSentAt = parent.number
                logger.info("reclaiming bond", metadata: Self.metadata(task).merging(["tx": "\(hash)"]) { $1 })
            } catch {
                logger.warning("cannot reclaim bond", metadata: Self.metadata(task).merging(["error": "\(error)"]) { $1 })
            }
        }
    }

    /// Whether the enclave may sign results on top of `parent` (a live miner registration by this
    /// worker). Sends the registration, or its renewal once half its period has passed, unless one
    /// was sent in the last 32 blocks.
    private func registered(on parent: BlockHeader, state: WorldState, chain: ChainReader) -> Bool {
        let enclaveAddress = enclave.publicKey.address
        let live = EnclaveRegistry.registration(of: enclaveAddress, role: .miner, state: state, time: parent.timestamp)?.registrant == key.address
        guard WorkMarket.minerRegistrationDue(enclave: enclaveAddress, worker: key.address, state: state, time: parent.timestamp) else { return live }
        let send = lock.withLock { () -> Bool in
            if let sent = registrationSentAt, parent.number <= sent + 32 { return false }
            registrationSentAt = parent.number
            return true
        }
        guard send else { return live }
        do {
            let data = try WorkMarket.minerRegistrationCall(chainID: chain.chainID, worker: key.address, enclave: enclave)
            let tx = Transaction.dynamicFee(chainID: chain.chainID, nonce: try mempool.pendingNonce(key.address, state: state),
                                            maxPriorityFeePerGas: Self.tip, maxFeePerGas: parent.baseFeePerGas &* UInt256(2) &+ Self.tip,
                                            gasLimit: Self.registrationGas, to: EnclaveRegistry.address, value: .zero, data: data)
            let hash = try submit(try tx.signed(with: key), chain: chain)
            logger.info(live ? "renewing the enclave's miner registration" : "registering the enclave as a miner",
                        metadata: ["enclave": "\(enclaveAddress.checksummed)", "tx": "\(hash)"])
        } catch {
            logger.warning("cannot register the enclave as a miner", metadata: ["error": "\(error)"])
        }
        return live
    }

    /// Gas offered for a registration: its evidence (a DCAP quote is ~5 KiB of calldata) and its verification; unused gas is not charged.
    static let registrationGas: UInt64 = 2_000_000

    func failed(_ task: JobSubtask, error: Error) {
        logger.warning("subtask failed in the sandbox", metadata: Self.metadata(task.subtask).merging(["error": "\(error)"]) { $1 })
    }

    private func module(_ hash: H256, _ market: inout WorkMarketState) -> WorkModule? {
        if let m = lock.withLock({ modules[hash] }) { return m }
        guard let bytes = try? market.module(hash), let m = try? WorkModule(bytes: bytes) else { return nil }
        lock.withLock { modules[hash] = m }
        return m
    }

    private static func name(_ s: OpenSubtask) -> String { "\(s.jobID):\(s.index)" }

    private static func metadata(_ s: OpenSubtask) -> Logger.Metadata { ["job": "\(s.jobID)", "subtask": "\(s.index)"] }

    private static let submitResultSelector = WorkMarket.interface.functions.first { $0.name == "submitResult" }?.selector ?? []

    /// Subtasks some worker already claimed with a `submitResult` waiting in the pool.
    private func claimedInPool() -> Set<String> {
        var names = Set<String>()
        for (tx, _) in mempool.all() where tx.to == WorkMarket.address && tx.data.starts(with: Self.submitResultSelector) && tx.data.count >= 68 {
            guard let job = UInt256(bigEndian: tx.data[4..<36]), let index = UInt256(bigEndian: tx.data[36..<68]) else { continue }
            names.insert("\(job):\(index)")
        }
        return names
    }
}
