import AnkrEnclave
import AnkrPrimitives

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
    /// enclave key and attested with the statement hash as user data.
    public static func submitResultCall(chainID: UInt64, subtask: OpenSubtask, input: [UInt8], result: SubtaskResult,
                                        worker: Address, enclave: Enclave) throws -> [UInt8] {
        let statement = WorkResultStatement(chainID: chainID, market: address, jobID: subtask.jobID, index: subtask.index,
                                            moduleHash: subtask.moduleHash, inputHash: Keccak256.h256(input), outputHash: result.outputHash,
                                            fuel: result.fuelUsed, worker: worker)
        let signature = try enclave.sign(hash: statement.hash).rsv
        let evidence = try enclave.attest(userData: statement.hash)
        return try ABI.encodeCall("submitResult(uint256,uint256,bytes,uint64,bytes,bytes)",
                                  [.uint(subtask.jobID), .uint(UInt256(subtask.index)), .bytes(result.output), .uint(UInt256(result.fuelUsed)),
                                   .bytes(signature), .bytes(evidence.encoded)])
    }

    /// The `postJob` calldata: module bytes (or empty when the chain already stores `moduleHash`).
    public static func postJobCall(module: [UInt8], moduleHash: H256? = nil, inputs: [[UInt8]], maxFuelPerSubtask: UInt64,
                                   pricePerFuel: UInt256) throws -> [UInt8] {
        try ABI.encodeCall("postJob(bytes32,bytes,bytes[],uint64,uint256)",
                           [.fixedBytes((moduleHash ?? Keccak256.h256(module)).bytes), .bytes(module), .array(inputs.map { .bytes($0) }),
                            .uint(UInt256(maxFuelPerSubtask)), .uint(pricePerFuel)])
    }
}
