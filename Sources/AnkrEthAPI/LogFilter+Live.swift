import AnkrPrimitives
import AnkrRPC

/// The block range of a filter that follows new blocks (`eth_newFilter`, the `logs` subscription), as
/// geth's `SubscribeLogs` reads it: "latest" (or absent) on both ends follows every new block; a
/// number bounds the logs delivered; "pending" and ranges that can never match are refused.
extension LogFilter {
    /// Checks that the range can follow new blocks; -32602 when it cannot.
    func validateLive() throws {
        let from = try Self.liveBound(fromBlock, "fromBlock", isFrom: true)
        let to = try Self.liveBound(toBlock, "toBlock", isFrom: false)
        switch (from, to) {
        case (_, nil): return
        case (let f?, let t?) where f <= t: return
        default: throw RPCError.invalidParams("invalid block range params")
        }
    }

    /// Whether a new log of block `number` is inside the range.
    func admits(blockNumber number: UInt64) -> Bool {
        if let liveFrom, number < liveFrom { return false }
        if let liveTo, number > liveTo { return false }
        return true
    }

    /// One end of a live range: a block number, or nil for "latest".
    static func liveBound(_ tag: JSON?, _ name: String, isFrom: Bool) throws -> UInt64? {
        guard let tag else { return nil }
        switch tag.string {
        case "latest"?: return nil
        case "pending"?: throw RPCError.invalidParams("pending logs are not supported")
        // geth reads "earliest" as the first block it keeps, for the start of a range only.
        case "earliest"? where isFrom: return 0
        case "earliest"?, "safe"?, "finalized"?: throw RPCError.invalidParams("invalid block range params")
        default: return try RPCParams.quantity64(tag, name)
        }
    }
}
