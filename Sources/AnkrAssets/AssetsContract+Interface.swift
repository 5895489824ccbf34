import AnkrChain
import AnkrPrimitives

extension AssetsContract {
    private typealias P = ContractInterface.Parameter

    /// The contract's Solidity interface; `abi/Assets.json` is generated from it.
    public static let interface = ContractInterface(
        functions: [
            .init("put", [P("id", .uint(bits: 256)), P("metadataHash", .fixedBytes(32)), P("valuationRequest", .uint(bits: 256))]),
            .init("transfer", [P("id", .uint(bits: 256)), P("to", .address)]),
            .init("burn", [P("id", .uint(bits: 256))]),
            .init("asset", [P("id", .uint(bits: 256))],
                  returns: [P("owner", .address), P("metadataHash", .fixedBytes(32)), P("status", .uint(bits: 8)), P("valuation", .uint(bits: 256)),
                            P("valuationRequest", .uint(bits: 256)), P("createdAt", .uint(bits: 64)), P("updatedAt", .uint(bits: 64)),
                            P("historyLength", .uint(bits: 256))], .view),
            .init("history", [P("id", .uint(bits: 256))],
                  returns: [P("kinds", .array(.uint(bits: 8))), P("actors", .array(.address)), P("counterparties", .array(.address)),
                            P("values", .array(.fixedBytes(32))), P("blocks", .array(.uint(bits: 64))), P("times", .array(.uint(bits: 64)))], .view),
            .init("assetCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("followSchedule", [P("id", .uint(bits: 256)), P("scheduleId", .uint(bits: 256))]),
            .init("valuationSchedule", [P("id", .uint(bits: 256))], returns: [P("scheduleId", .uint(bits: 256))], .view),
            .init("currentValuation", [P("id", .uint(bits: 256))],
                  returns: [P("valuation", .uint(bits: 256)), P("requestId", .uint(bits: 256)), P("scheduleId", .uint(bits: 256)), P("round", .uint(bits: 32)),
                            P("answeredBlock", .uint(bits: 64)), P("answeredAt", .uint(bits: 64))], .view),
        ],
        events: [
            .init("AssetPromoted", [P("id", .uint(bits: 256), indexed: true), P("owner", .address, indexed: true), P("metadataHash", .fixedBytes(32))]),
            .init("AssetUpdated", [P("id", .uint(bits: 256), indexed: true), P("metadataHash", .fixedBytes(32))]),
            .init("AssetValued", [P("id", .uint(bits: 256), indexed: true), P("requestId", .uint(bits: 256)), P("valuation", .uint(bits: 256))]),
            .init("AssetTransferred", [P("id", .uint(bits: 256), indexed: true), P("from", .address, indexed: true), P("to", .address, indexed: true)]),
            .init("AssetFollowsSchedule", [P("id", .uint(bits: 256), indexed: true), P("scheduleId", .uint(bits: 256))]),
            .init("AssetBurned", [P("id", .uint(bits: 256), indexed: true), P("owner", .address, indexed: true)]),
        ])
}
