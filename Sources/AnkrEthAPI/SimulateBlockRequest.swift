import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// One entry of `eth_simulateV1`'s `blockStateCalls`: the block's overridden fields, the accounts
/// replaced before its calls, and the calls.
struct SimulateBlockRequest {
    /// The spec's BlockOverrides (withdrawals and the blob base fee are refused: Ankr has neither); also
    /// eth_call's fourth parameter, as in geth.
    struct Overrides {
        var number: UInt64?
        var time: UInt64?
        var gasLimit: UInt64?
        var feeRecipient: Address?
        var prevRandao: H256?
        var baseFeePerGas: UInt256?

        init() {}

        init(_ json: JSON?) throws {
            guard let json, json != .null else { return }
            guard let bo = json.object else { throw RPCError.invalidParams("blockOverrides must be an object") }
            func member(_ name: String) -> JSON? { bo.member(name) }
            for unsupported in ["withdrawals", "blobBaseFee"] where member(unsupported) != nil {
                throw RPCError.invalidParams("blockOverrides.\(unsupported) is not supported: Ankr blocks have no \(unsupported)")
            }
            number = try member("number").map { try RPCParams.quantity64($0, "blockOverrides.number") }
            time = try member("time").map { try RPCParams.quantity64($0, "blockOverrides.time") }
            gasLimit = try member("gasLimit").map { try RPCParams.quantity64($0, "blockOverrides.gasLimit") }
            feeRecipient = try member("feeRecipient").map { try RPCParams.address($0, "blockOverrides.feeRecipient") }
            prevRandao = try member("prevRandao").map { H256(word: try RPCParams.quantity($0, "blockOverrides.prevRandao")) }
            baseFeePerGas = try member("baseFeePerGas").map { try RPCParams.quantity($0, "blockOverrides.baseFeePerGas") }
        }

        /// `context` with the overridden fields replaced.
        func applied(to context: BlockContext) -> BlockContext {
            var c = context
            if let number { c.number = number }
            if let time { c.timestamp = time }
            if let gasLimit { c.gasLimit = gasLimit }
            if let feeRecipient { c.coinbase = feeRecipient }
            if let prevRandao { c.prevRandao = prevRandao }
            if let baseFeePerGas { c.baseFee = baseFeePerGas }
            return c
        }
    }

    /// A call of the block: eth_call's fields plus the transaction fields a validating run checks.
    struct Call {
        var request: EthNamespace.CallRequest
        var nonce: UInt64?
        var gasPrice: UInt256?
        var maxFeePerGas: UInt256?
        var maxPriorityFeePerGas: UInt256?
    }

    var overrides = Overrides()
    var stateOverrides: [(Address, SimulateAccountOverride)] = []
    var calls: [Call] = []

    init(_ json: JSON) throws {
        guard let o = json.object else { throw RPCError.invalidParams("each blockStateCalls entry must be an object") }
        func field(_ name: String) -> JSON? { o.member(name) }
        overrides = try Overrides(field("blockOverrides"))
        stateOverrides = try SimulateAccountOverride.all(field("stateOverrides"))
        if let c = field("calls") {
            guard let list = c.array else { throw RPCError.invalidParams("calls must be a list") }
            calls = try list.map { entry in
                guard let call = entry.object else { throw RPCError.invalidParams("each call must be an object") }
                func member(_ name: String) -> JSON? { call.member(name) }
                if member("blobVersionedHashes") != nil || member("maxFeePerBlobGas") != nil {
                    throw RPCError.invalidParams("blob transactions are not supported: Ankr blocks carry no blobs")
                }
                return Call(request: try EthNamespace.CallRequest(call),
                            nonce: try member("nonce").map { try RPCParams.quantity64($0, "nonce") },
                            gasPrice: try member("gasPrice").map { try RPCParams.quantity($0, "gasPrice") },
                            maxFeePerGas: try member("maxFeePerGas").map { try RPCParams.quantity($0, "maxFeePerGas") },
                            maxPriorityFeePerGas: try member("maxPriorityFeePerGas").map { try RPCParams.quantity($0, "maxPriorityFeePerGas") })
            }
        }
    }
}
