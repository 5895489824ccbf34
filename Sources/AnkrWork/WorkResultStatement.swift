import AnkrPrimitives

/// What a worker's enclave signs after running a WorkMarket subtask. It names the chain, the
/// market, the subtask and the worker who will be paid, so a result can be neither replayed on
/// another chain or job nor claimed by someone who copies it from the mempool.
public struct WorkResultStatement: Hashable, Sendable {
    public var chainID: UInt64
    public var market: Address
    public var jobID: UInt256
    public var index: UInt64
    public var moduleHash: H256
    public var inputHash: H256
    public var outputHash: H256
    public var fuel: UInt64
    public var worker: Address

    public init(chainID: UInt64, market: Address, jobID: UInt256, index: UInt64, moduleHash: H256, inputHash: H256,
                outputHash: H256, fuel: UInt64, worker: Address) {
        self.chainID = chainID; self.market = market; self.jobID = jobID; self.index = index; self.moduleHash = moduleHash
        self.inputHash = inputHash; self.outputHash = outputHash; self.fuel = fuel; self.worker = worker
    }

    /// The hash the enclave signs with its registered key.
    public var hash: [UInt8] {
        let rlp = RLPItem.list([.uint(chainID), .bytes(market.bytes), .uint(jobID), .uint(index), .bytes(moduleHash.bytes),
                                .bytes(inputHash.bytes), .bytes(outputHash.bytes), .uint(fuel), .bytes(worker.bytes)])
        return Keccak256.hash(Array("ankr-work-result".utf8) + RLP.encode(rlp))
    }
}
