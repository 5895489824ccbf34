import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrSandbox

/// The WorkMarket system contract at `0x…0a0003`: the decentralized cloud of DESIGN.md §4.
///
/// A poster escrows payment for a module and its subtask inputs (`postJob`). Any worker enclave
/// with a live miner registration in the ``EnclaveRegistry`` runs a subtask and signs a
/// ``WorkResultStatement``; the worker submits the output with its fuel and that signature
/// (`submitResult`), posting a bond and receiving fuel × price at once. During the dispute window
/// anyone may `dispute` a result: the contract re-executes the subtask on chain (fuel bounded by
/// the job) and, if the output or fuel differ, refunds the payment from the bond, pays the rest of
/// the bond to the disputer and reopens the subtask. After the window the worker takes the bond back (`reclaimBond`). The
/// poster can `cancelJob` at any time to take back the escrow not yet paid.
public struct WorkMarket: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0003")

    /// Rules fixed by genesis.
    public struct Parameters: Sendable {
        /// The least bond behind a result; a job whose subtask can pay more asks for that much.
        public var minimumBond: UInt256
        /// Blocks during which a result can be disputed and its bond is held.
        public var disputeWindow: UInt64
        /// Upper bound of a job's fuel per subtask, so every subtask can be re-executed on chain.
        public var maxFuelPerSubtask: UInt64
        public var maxModuleBytes = 32 * 1024
        /// Bound of one subtask's input and of its output (the PoUW seal carries inputs too).
        public var maxSubtaskBytes = 4096
        public var maxSubtasks: UInt64 = 1024
        /// Gas a dispute pays per unit of fuel it re-executes (a whole budget is charged up front).
        public var fuelPerGas: UInt64 = 8

        public init(minimumBond: UInt256 = UInt256(10_000_000_000_000_000), disputeWindow: UInt64 = 100, maxFuelPerSubtask: UInt64 = 50_000_000) {
            self.minimumBond = minimumBond
            self.disputeWindow = disputeWindow; self.maxFuelPerSubtask = maxFuelPerSubtask
        }
    }

    public let parameters: Parameters
    public var address: Address { Self.address }
    public var name: String { "WorkMarket" }
    public var interface: ContractInterface { Self.interface }

    public init(parameters: Parameters) { self.parameters = parameters }

    static let baseGas: UInt64 = 5_000
    static let disputeBaseGas: UInt64 = 50_000
    /// One lookup in the ``EnclaveRegistry``: a registration is about a dozen storage words, priced as cold reads.
    public static let registryLookupGas: UInt64 = 12 * SystemStorage.readWordGas
    /// What `submitResult` charges, before either runs, for recovering the statement's signer (as
    /// ecrecover) and looking it up: a hostile result pays for both.
    public static let signerCheckGas: UInt64 = 3_000 + registryLookupGas

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        var market = WorkMarketState(storage: SystemStorage(state: state, address: address, gasLimit: call.gasAvailable))
        try market.storage.charge(Self.baseGas)
        let (function, values) = try Self.interface.decode(call, gasUsed: market.storage.gasUsed)
        var logs = [Log]()
        let output: [ABIValue]
        switch function.name {
        case "postJob": output = try postJob(values, call, &market, &logs)
        case "submitResult": output = try submitResult(values, call, &market, &logs)
        case "dispute": output = try dispute(values, call, &market, &logs)
        case "reclaimBond": output = try reclaimBond(values, call, &market, &logs)
        case "cancelJob": output = try cancelJob(values, call, &market, &logs)
        case "jobCount": output = [.uint(try market.jobCount())]
        case "getJob": output = try getJob(values, &market)
        case "getInput": output = try getInput(values, &market)
        case "getResult": output = try getResult(values, &market)
        case "getModule": output = [.bytes(try market.module(H256((values[0].fixedBytesValue ?? []))))]
        case "requiredBond": output = [.uint(try bond(for: try existingJob(values[0], &market), market))]
        default: throw SystemCallError.unknownSelector(function.selector)
        }
        let encoded = try ABI.encode(output, types: function.outputTypes)
        return SystemCallResult(output: encoded, gasUsed: market.storage.gasUsed, logs: logs)
    }

    // MARK: Transactions

    private func postJob(_ v: [ABIValue], _ call: SystemCall, _ market: inout WorkMarketState, _ logs: inout [Log]) throws -> [ABIValue] {
        let moduleHash = try H256((v[0].fixedBytesValue ?? []))
        let module = (v[1].bytesValue ?? []), inputs = (v[2].arrayValue?.compactMap(\.bytesValue) ?? [])
        let maxFuel = (v[3].uintValue ?? .zero).uint64 ?? .max, price = (v[4].uintValue ?? .zero)
        guard !inputs.isEmpty else { throw revert("a job needs at least one subtask input", market) }
        guard UInt64(inputs.count) <= parameters.maxSubtasks else { throw revert("more than \(parameters.maxSubtasks) subtasks", market) }
        guard inputs.allSatisfy({ $0.count <= parameters.maxSubtaskBytes }) else {
            throw revert("a subtask input exceeds \(parameters.maxSubtaskBytes) bytes", market)
        }
        guard maxFuel > 0, maxFuel <= parameters.maxFuelPerSubtask else {
            throw revert("maxFuelPerSubtask must be between 1 and \(parameters.maxFuelPerSubtask)", market)
        }
        guard !price.isZero else { throw revert("pricePerFuel must be positive", market) }
        if module.isEmpty {
            guard !(try market.moduleLength(moduleHash)).isZero else { throw revert("module \(moduleHash) is not stored; send its bytes", market) }
        } else {
            guard module.count <= parameters.maxModuleBytes else { throw revert("module exceeds \(parameters.maxModuleBytes) bytes", market) }
            guard Keccak256.h256(module) == moduleHash else { throw revert("module bytes do not hash to moduleHash", market) }
            do { _ = try WorkModule(bytes: module) } catch { throw revert("\(error)", market) }
            if try market.moduleLength(moduleHash).isZero { try market.setModule(module, hash: moduleHash) }
        }
        // The escrow covers every subtask at its full fuel budget, so a worker is always paid.
        let (perTask, o1) = price.multipliedReportingOverflow(by: UInt256(maxFuel))
        let (needed, o2) = perTask.multipliedReportingOverflow(by: UInt256(inputs.count))
        guard !o1, !o2, call.value >= needed else {
            throw revert("escrow must cover subtasks × maxFuelPerSubtask × pricePerFuel = \(o1 || o2 ? "overflow" : needed.description) wei", market)
        }
        let id = try market.jobCount() &+ .one
        try market.setJobCount(id)
        let job = WorkJob(id: id, poster: call.caller, moduleHash: moduleHash, subtaskCount: UInt64(inputs.count), maxFuelPerSubtask: maxFuel,
                          pricePerFuel: price, escrow: call.value, postedAt: call.block.number)
        try market.setJob(job)
        for (i, input) in inputs.enumerated() { try market.setInput(job: id, index: UInt64(i), input) }
        logs.append(try event("JobPosted", indexed: [id, call.caller.word, (UInt256(bigEndian: moduleHash.bytes) ?? .zero)],
                              data: [.uint(UInt256(inputs.count)), .uint(UInt256(maxFuel)), .uint(price), .uint(call.value)]))
        return [.uint(id)]
    }

    private func submitResult(_ v: [ABIValue], _ call: SystemCall, _ market: inout WorkMarketState, _ logs: inout [Log]) throws -> [ABIValue] {
        var job = try existingJob(v[0], &market)
        let index = try subtaskIndex(v[1], of: job, market)
        let output = (v[2].bytesValue ?? []), fuel = (v[3].uintValue ?? .zero).uint64 ?? .max
        let signature = (v[4].bytesValue ?? [])
        guard job.open else { throw revert("job \(job.id) is cancelled", market) }
        guard try market.result(job: job.id, index: index) == nil else { throw revert("subtask \(index) of job \(job.id) already has a result", market) }
        guard output.count <= parameters.maxSubtaskBytes else { throw revert("output exceeds \(parameters.maxSubtaskBytes) bytes", market) }
        guard fuel <= job.maxFuelPerSubtask else { throw revert("fuel \(fuel) exceeds the job's \(job.maxFuelPerSubtask) per subtask", market) }
        let bond = try bond(for: job, market)
        guard call.value >= bond else { throw revert("a result needs a bond of \(bond) wei", market) }
        // The enclave's statement, rebuilt from what is on chain: whoever signed it must hold a live
        // miner registration at this block's time. A statement altered in any field (worker, chain,
        // subtask, output, fuel) recovers to some other key, which is not registered.
        let input = try market.input(job: job.id, index: index)
        let statement = WorkResultStatement(chainID: call.block.chainID, market: address, jobID: job.id, index: index, moduleHash: job.moduleHash,
                                            inputHash: Keccak256.h256(input), outputHash: Keccak256.h256(output), fuel: fuel, worker: call.caller)
        try market.storage.charge(Self.signerCheckGas)
        guard let sig = try? Signature(rsv: signature), let signer = try? sig.recoverPublicKey(hash: EnclaveMessage.digest(statement.hash)) else {
            throw revert("the result's signature is not a recoverable secp256k1 signature", market)
        }
        guard EnclaveRegistry.registration(of: signer.address, role: .miner, state: market.storage.state, time: call.block.timestamp) != nil else {
            try market.storage.charge(Self.registryLookupGas)  // the second lookup, which names the role the key holds instead
            throw revert(Self.unregistered(signer.address, state: market.storage.state, time: call.block.timestamp), market)
        }
        let (payment, overflow) = job.pricePerFuel.multipliedReportingOverflow(by: UInt256(fuel))
        guard !overflow, payment <= job.escrow else { throw revert("escrow cannot cover \(fuel) fuel", market) }
        job.escrow = job.escrow &- payment
        job.completed += 1
        try market.setJob(job)
        try market.setOutput(job: job.id, index: index, output)
        try market.setResult(job: job.id, index: index, WorkResult(worker: call.caller, outputHash: statement.outputHash, fuel: fuel,
                                                                   payment: payment, bond: call.value, submittedAt: call.block.number))
        try pay(payment, to: call.caller, market)
        logs.append(try event("ResultSubmitted", indexed: [job.id, UInt256(index), call.caller.word],
                              data: [.fixedBytes(statement.outputHash.bytes), .uint(UInt256(fuel)), .uint(payment)]))
        if job.isComplete { logs.append(try event("JobCompleted", indexed: [job.id], data: [])) }
        return []
    }

    private func dispute(_ v: [ABIValue], _ call: SystemCall, _ market: inout WorkMarketState, _ logs: inout [Log]) throws -> [ABIValue] {
        var job = try existingJob(v[0], &market)
        let index = try subtaskIndex(v[1], of: job, market)
        guard let result = try market.result(job: job.id, index: index) else { throw revert("subtask \(index) has no result to dispute", market) }
        guard call.block.number <= windowEnd(result) else { throw revert("the dispute window has closed", market) }
        // Re-execution is paid up front at the job's whole fuel budget, so its cost never depends on the outcome.
        try market.storage.charge(reexecutionGas(job))
        let module: WorkModule
        do { module = try WorkModule(bytes: try market.module(job.moduleHash)) } catch let e as WorkError {
            // Only a module stored before today's admission rules (a start function, say) gets here.
            throw revert("the job's module cannot be re-executed: \(e)", market)
        }
        let input = try market.input(job: job.id, index: index)
        let limits = WasmSandbox.Limits(maxInputBytes: parameters.maxSubtaskBytes, maxOutputBytes: parameters.maxSubtaskBytes)
        let honest: Bool
        do {
            let again = try WasmSandbox(limits: limits).run(module, input: input, fuel: job.maxFuelPerSubtask)
            honest = again.fuelUsed == result.fuel && again.outputHash == result.outputHash
        } catch is WorkError {
            honest = false  // the subtask cannot succeed, so no output was ever correct
        }
        guard !honest else { throw revert("re-execution confirms the result", market) }
        // The wrong payment comes back out of the bond (bond ≥ the most a subtask pays); the rest goes to the disputer.
        let refund = min(result.payment, result.bond)
        let reward = result.bond &- refund
        if job.open { job.escrow = job.escrow &+ refund } else { try pay(refund, to: job.poster, market) }
        job.completed -= 1
        try market.setJob(job)
        try market.setResult(job: job.id, index: index, nil)
        try market.setOutput(job: job.id, index: index, [])
        try pay(reward, to: call.caller, market)
        logs.append(try event("ResultDisputed", indexed: [job.id, UInt256(index), call.caller.word],
                              data: [.address(result.worker), .uint(result.bond)]))
        return []
    }

    private func reclaimBond(_ v: [ABIValue], _ call: SystemCall, _ market: inout WorkMarketState, _ logs: inout [Log]) throws -> [ABIValue] {
        let job = try existingJob(v[0], &market)
        let index = try subtaskIndex(v[1], of: job, market)
        guard var result = try market.result(job: job.id, index: index) else { throw revert("subtask \(index) has no result", market) }
        guard result.worker == call.caller else { throw revert("only the worker can reclaim its bond", market) }
        guard !result.bondReturned else { throw revert("the bond was already returned", market) }
        guard call.block.number > windowEnd(result) else {
            throw revert("the dispute window closes after block \(windowEnd(result))", market)
        }
        result.bondReturned = true
        try market.setResult(job: job.id, index: index, result)
        try pay(result.bond, to: result.worker, market)
        logs.append(try event("BondReturned", indexed: [job.id, UInt256(index), result.worker.word], data: [.uint(result.bond)]))
        return []
    }

    private func cancelJob(_ v: [ABIValue], _ call: SystemCall, _ market: inout WorkMarketState, _ logs: inout [Log]) throws -> [ABIValue] {
        var job = try existingJob(v[0], &market)
        guard job.poster == call.caller else { throw revert("only the poster can cancel job \(job.id)", market) }
        guard job.open else { throw revert("job \(job.id) is already cancelled", market) }
        let refund = job.escrow
        job.escrow = .zero
        job.open = false
        try market.setJob(job)
        try pay(refund, to: job.poster, market)
        logs.append(try event("JobCancelled", indexed: [job.id], data: [.uint(refund)]))
        return [.uint(refund)]
    }

    // MARK: Views

    private func getJob(_ v: [ABIValue], _ market: inout WorkMarketState) throws -> [ABIValue] {
        let job = try existingJob(v[0], &market)
        return [.address(job.poster), .fixedBytes(job.moduleHash.bytes), .uint(UInt256(job.subtaskCount)), .uint(UInt256(job.maxFuelPerSubtask)),
                .uint(job.pricePerFuel), .uint(job.escrow), .uint(UInt256(job.completed)), .bool(job.open), .uint(UInt256(job.postedAt))]
    }

    private func getInput(_ v: [ABIValue], _ market: inout WorkMarketState) throws -> [ABIValue] {
        let job = try existingJob(v[0], &market)
        return [.bytes(try market.input(job: job.id, index: try subtaskIndex(v[1], of: job, market)))]
    }

    private func getResult(_ v: [ABIValue], _ market: inout WorkMarketState) throws -> [ABIValue] {
        let job = try existingJob(v[0], &market)
        let index = try subtaskIndex(v[1], of: job, market)
        guard let r = try market.result(job: job.id, index: index) else {
            return [.address(.zero), .bytes([]), .uint(.zero), .uint(.zero), .uint(.zero), .uint(.zero)]
        }
        return [.address(r.worker), .bytes(try market.output(job: job.id, index: index)), .uint(UInt256(r.fuel)), .uint(r.payment),
                .uint(r.bond), .uint(UInt256(r.submittedAt))]
    }

    // MARK: Pieces

    /// The bond a result on `job` must carry: at least the most one subtask can pay.
    public func bond(for job: WorkJob, _ market: WorkMarketState) throws -> UInt256 {
        guard let most = job.maxPaymentPerSubtask else { throw revert("job payment overflows", market) }
        return max(parameters.minimumBond, most)
    }

    /// The last block in which `result` can be disputed (saturating: genesis may set any window).
    private func windowEnd(_ result: WorkResult) -> UInt64 {
        let (end, overflow) = result.submittedAt.addingReportingOverflow(parameters.disputeWindow)
        return overflow ? .max : end
    }

    /// Gas for re-executing a whole subtask budget; saturating, and a zero `fuelPerGas` charges one gas per fuel.
    func reexecutionGas(_ job: WorkJob) -> UInt64 {
        let (gas, overflow) = Self.disputeBaseGas.addingReportingOverflow(job.maxFuelPerSubtask / max(1, parameters.fuelPerGas))
        return overflow ? .max : gas
    }

    private func existingJob(_ value: ABIValue, _ market: inout WorkMarketState) throws -> WorkJob {
        let id = (value.uintValue ?? .zero)
        guard let job = try market.job(id) else { throw revert("no job \(id)", market) }
        return job
    }

    private func subtaskIndex(_ value: ABIValue, of job: WorkJob, _ market: WorkMarketState) throws -> UInt64 {
        guard let i = (value.uintValue ?? .zero).uint64, i < job.subtaskCount else { throw revert("job \(job.id) has no subtask \((value.uintValue ?? .zero))", market) }
        return i
    }

    private func pay(_ amount: UInt256, to recipient: Address, _ market: WorkMarketState) throws {
        guard !amount.isZero else { return }
        try market.storage.state.subtractBalance(address, amount)
        try market.storage.state.addBalance(recipient, amount)
    }

    /// Why `enclave` may not sign results: the revert reason names the role it holds instead, if any.
    private static func unregistered(_ enclave: Address, state: WorldState, time: UInt64) -> String {
        if EnclaveRegistry.registration(of: enclave, role: .oracle, state: state, time: time) != nil {
            return "\(enclave.checksummed) is registered as an oracle enclave, not a miner enclave"
        }
        return "\(enclave.checksummed) is not a registered miner enclave (never registered, expired or revoked; or the statement was altered)"
    }

    private func revert(_ reason: String, _ market: WorkMarketState) -> SystemCallError {
        .reverted(reason, gasUsed: market.storage.gasUsed)
    }

    private func event(_ name: String, indexed: [UInt256], data: [ABIValue]) throws -> Log {
        try Self.interface.log(name, address: address, indexed: indexed, data: data)
    }
}
