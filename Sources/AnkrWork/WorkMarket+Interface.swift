import AnkrChain
import AnkrPrimitives

extension WorkMarket {
    private typealias P = ContractInterface.Parameter
    private typealias F = ContractInterface.Function

    /// The WorkMarket's Solidity interface; `abi/WorkMarket.json` is generated from it.
    public static let interface = ContractInterface(
        functions: [
            F("postJob", [P("moduleHash", .fixedBytes(32)), P("module", .bytes), P("inputs", .array(.bytes)),
                          P("maxFuelPerSubtask", .uint(bits: 64)), P("pricePerFuel", .uint(bits: 256))],
              returns: [P("jobId", .uint(bits: 256))], .payable),
            F("submitResult", [P("jobId", .uint(bits: 256)), P("index", .uint(bits: 256)), P("output", .bytes), P("fuel", .uint(bits: 64)),
                               P("signature", .bytes)], .payable),
            F("dispute", [P("jobId", .uint(bits: 256)), P("index", .uint(bits: 256))]),
            F("reclaimBond", [P("jobId", .uint(bits: 256)), P("index", .uint(bits: 256))]),
            F("cancelJob", [P("jobId", .uint(bits: 256))], returns: [P("refund", .uint(bits: 256))]),
            F("jobCount", [], returns: [P("count", .uint(bits: 256))], .view),
            F("getJob", [P("jobId", .uint(bits: 256))],
              returns: [P("poster", .address), P("moduleHash", .fixedBytes(32)), P("subtasks", .uint(bits: 256)),
                        P("maxFuelPerSubtask", .uint(bits: 256)), P("pricePerFuel", .uint(bits: 256)), P("escrow", .uint(bits: 256)),
                        P("completed", .uint(bits: 256)), P("open", .bool), P("postedAt", .uint(bits: 256))], .view),
            F("getInput", [P("jobId", .uint(bits: 256)), P("index", .uint(bits: 256))], returns: [P("input", .bytes)], .view),
            F("getResult", [P("jobId", .uint(bits: 256)), P("index", .uint(bits: 256))],
              returns: [P("worker", .address), P("output", .bytes), P("fuel", .uint(bits: 256)), P("payment", .uint(bits: 256)),
                        P("bond", .uint(bits: 256)), P("submittedAt", .uint(bits: 256))], .view),
            F("getModule", [P("moduleHash", .fixedBytes(32))], returns: [P("module", .bytes)], .view),
            F("requiredBond", [P("jobId", .uint(bits: 256))], returns: [P("bond", .uint(bits: 256))], .view),
        ],
        events: [
            .init("JobPosted", [P("jobId", .uint(bits: 256), indexed: true), P("poster", .address, indexed: true),
                                P("moduleHash", .fixedBytes(32), indexed: true), P("subtasks", .uint(bits: 256)),
                                P("maxFuelPerSubtask", .uint(bits: 256)), P("pricePerFuel", .uint(bits: 256)), P("escrow", .uint(bits: 256))]),
            .init("ResultSubmitted", [P("jobId", .uint(bits: 256), indexed: true), P("index", .uint(bits: 256), indexed: true),
                                      P("worker", .address, indexed: true), P("outputHash", .fixedBytes(32)), P("fuel", .uint(bits: 256)),
                                      P("payment", .uint(bits: 256))]),
            .init("JobCompleted", [P("jobId", .uint(bits: 256), indexed: true)]),
            .init("ResultDisputed", [P("jobId", .uint(bits: 256), indexed: true), P("index", .uint(bits: 256), indexed: true),
                                     P("disputer", .address, indexed: true), P("worker", .address), P("slashedBond", .uint(bits: 256))]),
            .init("BondReturned", [P("jobId", .uint(bits: 256), indexed: true), P("index", .uint(bits: 256), indexed: true),
                                   P("worker", .address, indexed: true), P("bond", .uint(bits: 256))]),
            .init("JobCancelled", [P("jobId", .uint(bits: 256), indexed: true), P("refund", .uint(bits: 256))]),
        ])

    public static var abi: String { interface.json }
}
