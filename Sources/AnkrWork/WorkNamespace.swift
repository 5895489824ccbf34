import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The `work_` methods: WorkMarket jobs and their results, read from the head state.
public struct WorkNamespace: Sendable {
    public let backend: RPCBackend
    /// The chain's WorkMarket rules; nil on a chain without one (dev consensus).
    public let parameters: WorkMarket.Parameters?

    public init(backend: RPCBackend, parameters: WorkMarket.Parameters?) {
        self.backend = backend
        self.parameters = parameters
    }

    public static let maxListed: UInt64 = 500
    /// Most jobs one `work_listJobs` call reads (with `open`, most of them may be closed).
    public static let maxExaminedJobs: UInt64 = 5_000

    public func register(in table: RPCMethodTable) {
        table.register("work_getJob") { p in
            try p.expect(min: 1, max: 1)
            var market = try self.market()
            guard let job = try market.job(try p.quantity(0, "job id")) else { return .null }
            return try jobJSON(job)
        }
        table.register("work_listJobs", heavy: true) { p in
            try p.expect(min: 0, max: 1)
            let filter = p.has(0) ? try p.object(0, "filter") : [:]
            let openOnly = filter["open"]?.bool ?? false
            let limit = try filter["limit"].map { try RPCParams.quantity64($0, "limit") } ?? 50
            guard limit > 0, limit <= Self.maxListed else { throw RPCError.invalidParams("limit must be between 1 and \(Self.maxListed)") }
            var market = try self.market()
            guard let count = try market.jobCount().uint64 else { return [] }
            var jobs = [JSON]()
            var id = count
            let oldest = count > Self.maxExaminedJobs ? count - Self.maxExaminedJobs : 0
            // Newest first, like a block explorer.
            while id > oldest, jobs.count < Int(limit) {
                if let job = try market.job(UInt256(id)), !openOnly || (job.open && !job.isComplete) { jobs.append(try jobJSON(job)) }
                id -= 1
            }
            return .array(jobs)
        }
        // Up to WorkMarket's subtask cap (1,024) results with their outputs.
        table.register("work_getResults", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            var market = try self.market()
            guard let job = try market.job(try p.quantity(0, "job id")) else { return .null }
            let head = backend.chain.head.number
            return .array(try (0..<job.subtaskCount).map { i -> JSON in
                var entry: [String: JSON] = ["index": RPCFormat.q(i),
                                             "inputHash": .string(Keccak256.h256(try market.input(job: job.id, index: i)).description)]
                guard let r = try market.result(job: job.id, index: i) else {
                    entry["status"] = "pending"
                    return .object(entry)
                }
                let closes = r.submittedAt + (parameters?.disputeWindow ?? 0)
                entry["status"] = r.bondReturned ? "final" : (head > closes ? "accepted" : "disputable")
                entry["worker"] = .string(r.worker.checksummed)
                entry["output"] = RPCFormat.data(try market.output(job: job.id, index: i))
                entry["outputHash"] = .string(r.outputHash.description)
                entry["fuel"] = RPCFormat.q(r.fuel)
                entry["payment"] = RPCFormat.q(r.payment)
                entry["bond"] = RPCFormat.q(r.bond)
                entry["submittedAt"] = RPCFormat.q(r.submittedAt)
                entry["disputableUntil"] = RPCFormat.q(closes)
                entry["bondReturned"] = .bool(r.bondReturned)
                return .object(entry)
            })
        }
    }

    private func market() throws -> WorkMarketState {
        guard parameters != nil else { throw RPCError.server("this chain has no WorkMarket (it is dev-sealed; PoUW chains run one)") }
        return WorkMarketState(state: backend.chain.state(at: backend.chain.head))
    }

    private func jobJSON(_ job: WorkJob) throws -> JSON {
        let bond = max(parameters?.minimumBond ?? .zero, job.maxPaymentPerSubtask ?? .max)
        return ["id": RPCFormat.q(job.id), "poster": .string(job.poster.checksummed), "moduleHash": .string(job.moduleHash.description),
                "subtasks": RPCFormat.q(job.subtaskCount), "completed": RPCFormat.q(job.completed),
                "maxFuelPerSubtask": RPCFormat.q(job.maxFuelPerSubtask), "pricePerFuel": RPCFormat.q(job.pricePerFuel),
                "escrow": RPCFormat.q(job.escrow), "requiredBond": RPCFormat.q(bond), "postedAt": RPCFormat.q(job.postedAt),
                "status": !job.open ? "cancelled" : (job.isComplete ? "complete" : "open")]
    }
}
