import AnkrChain
import AnkrPrimitives
import AnkrSandbox
import AnkrWork

/// A subtask of a WorkMarket job, ready to run: what the white paper's `workClient.nextSubtask()` returns.
public struct JobSubtask: Sendable {
    public var subtask: OpenSubtask
    public var module: WorkModule
    public var input: [UInt8]

    public init(subtask: OpenSubtask, module: WorkModule, input: [UInt8]) {
        self.subtask = subtask; self.module = module; self.input = input
    }

    /// The seal's subtask id: which job and which of its inputs.
    public var id: H256 { Keccak256.h256(subtask.jobID.bigEndianBytes + UInt256(subtask.index).bigEndianBytes) }
}

/// Where a miner gets paid work. When it has none, the miner runs its own metered workload so
/// the chain never stalls.
public protocol WorkSource: Sendable {
    /// A job subtask to run while mining on top of the block `parentHash`, or nil for none.
    func nextSubtask(parentHash: H256, chain: ChainReader) -> JobSubtask?
    /// A job subtask ran: the worker should claim its payment (`submitResult`).
    func finished(_ task: JobSubtask, result: SubtaskResult, chain: ChainReader)
    /// A job subtask failed in the sandbox (trap, fuel, limits); it is not retried.
    func failed(_ task: JobSubtask, error: Error)
}
