import AnkrChain
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrSandbox

/// A subtask of an open job that has no result yet: what a miner can pull.
public struct OpenSubtask: Hashable, Sendable {
    public var jobID: UInt256
    public var index: UInt64
    public var moduleHash: H256
    public var maxFuel: UInt64
    public var pricePerFuel: UInt256
    /// The bond a result must carry.
    public var bond: UInt256

    public init(jobID: UInt256, index: UInt64, moduleHash: H256, maxFuel: UInt64, pricePerFuel: UInt256, bond: UInt256) {
        self.jobID = jobID; self.index = index; self.moduleHash = moduleHash; self.maxFuel = maxFuel
        self.pricePerFuel = pricePerFuel; self.bond = bond
    }
}

extension WorkMarketState {
    /// Open subtasks of the newest `maxJobs` jobs, oldest job first, at most `limit` of them.
    public mutating func openSubtasks(parameters: WorkMarket.Parameters, maxJobs: Int = 64, limit: Int = 256) throws -> [OpenSubtask] {
        let count = try jobCount()
        guard let newest = count.uint64, newest > 0 else { return [] }
        let oldest = newest > UInt64(maxJobs) ? newest - UInt64(maxJobs) + 1 : 1
        var found = [OpenSubtask]()
        for id in oldest...newest {
            guard let job = try job(UInt256(id)), job.open, !job.isComplete, let most = job.maxPaymentPerSubtask else { continue }
            for i in 0..<job.subtaskCount where try result(job: job.id, index: i) == nil {
                found.append(OpenSubtask(jobID: job.id, index: i, moduleHash: job.moduleHash, maxFuel: job.maxFuelPerSubtask,
                                         pricePerFuel: job.pricePerFuel, bond: max(parameters.minimumBond, most)))
                if found.count >= limit { return found }
            }
        }
        return found
    }
}

extension WorkMarket {
    /// The `submitResult` calldata for a subtask `enclave` ran: the statement signed by the
    /// enclave key, which must hold a live miner registration in the ``EnclaveRegistry``.
    public static func submitResultCall(chainID: UInt64, subtask: OpenSubtask, input: [UInt8], result: SubtaskResult,
                                        worker: Address, enclave: Enclave) throws -> [UInt8] {
        let statement = WorkResultStatement(chainID: chainID, market: address, jobID: subtask.jobID, index: subtask.index,
                                            moduleHash: subtask.moduleHash, inputHash: Keccak256.h256(input), outputHash: result.outputHash,
                                            fuel: result.fuelUsed, worker: worker)
        let signature = try enclave.sign(hash: statement.hash).rsv
        return try ABI.encodeCall("submitResult(uint256,uint256,bytes,uint64,bytes)",
                                  [.uint(subtask.jobID), .uint(UInt256(subtask.index)), .bytes(result.output), .uint(UInt256(result.fuelUsed)),
                                   .bytes(signature)])
    }

    /// The `postJob` calldata: module bytes (or empty when the chain already stores `moduleHash`).
    public static func postJobCall(module: [UInt8], moduleHash: H256? = nil, inputs: [[UInt8]], maxFuelPerSubtask: UInt64,
                                   pricePerFuel: UInt256) throws -> [UInt8] {
        try ABI.encodeCall("postJob(bytes32,bytes,bytes[],uint64,uint256)",
                           [.fixedBytes((moduleHash ?? Keccak256.h256(module)).bytes), .bytes(module), .array(inputs.map { .bytes($0) }),
                            .uint(UInt256(maxFuelPerSubtask)), .uint(pricePerFuel)])
    }
}

extension WorkMarket {
    /// The `EnclaveRegistry.register(evidence, role)` calldata that registers `enclave` as a miner
    /// enclave for `worker` (the registrant, who sends it): the evidence binds the key to this chain,
    /// the worker and the miner role.
    public static func minerRegistrationCall(chainID: UInt64, worker: Address, enclave: Enclave) throws -> [UInt8] {
        let evidence = try enclave.attest(userData: EnclaveRegistry.registrationBinding(chainID: chainID, registrant: worker, role: .miner))
        return try ABI.encodeCall("register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(EnclaveRole.miner.rawValue)))])
    }

    /// Whether `worker` should (re-)register `enclave` as a miner at `time`: it has no live miner
    /// registration by `worker`, or half of its registration period has passed (renewing then keeps
    /// results valid however long a registration takes to land).
    public static func minerRegistrationDue(enclave: Address, worker: Address, state: WorldState, time: UInt64) -> Bool {
        guard let current = EnclaveRegistry.registration(of: enclave, role: .miner, state: state, time: time), current.registrant == worker,
              current.expiresAt > current.registeredAt else { return true }
        return time >= current.registeredAt + (current.expiresAt - current.registeredAt) / 2
    }
}
