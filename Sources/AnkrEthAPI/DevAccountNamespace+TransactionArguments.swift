import AnkrChain
import AnkrPrimitives
import AnkrRPC

extension DevAccountNamespace {
    /// A transaction as a caller describes it: execution-apis' `GenericTransaction` (geth's `TransactionArgs`),
    /// every field optional until ``DevAccountNamespace/fill(_:)`` completes it. Malformed fields are -32602
    /// errors naming the field; unknown members are ignored, as geth ignores them.
    struct TransactionArguments {
        /// An explicit EIP-2718 type; nil lets the fee fields choose (geth: `gasPrice` → legacy, else EIP-1559).
        var type: TransactionType?
        var from: Address?
        /// nil creates a contract.
        var to: Address?
        var nonce: UInt64?
        var gas: UInt64?
        var value: UInt256?
        /// `input`, or its older name `data`.
        var input: [UInt8]?
        var gasPrice: UInt256?
        var maxFeePerGas: UInt256?
        var maxPriorityFeePerGas: UInt256?
        var accessList: [AccessListEntry]?
        var chainID: UInt256?

        /// The members that describe blob (EIP-4844) transactions, which Ankr's chain does not carry.
        static let blobMembers = ["maxFeePerBlobGas", "blobVersionedHashes", "blobs", "commitments", "proofs"]

        init(_ object: [String: JSON]) throws {
            // A member that is null counts as absent, as in every other call object.
            func field(_ name: String) -> JSON? {
                guard let value = object[name], value != .null else { return nil }
                return value
            }
            if let t = field("type") {
                switch try RPCParams.quantity64(t, "type") {
                case 0: type = .legacy
                case 1: type = .accessList
                case 2: type = .dynamicFee
                case 3: throw DevAccountError.blobTransaction.rpc
                case 4: throw DevAccountError.setCodeTransaction.rpc
                case let other: throw DevAccountError.unsupportedType(other).rpc
                }
            }
            if Self.blobMembers.contains(where: { field($0) != nil }) { throw DevAccountError.blobTransaction.rpc }
            if field("authorizationList") != nil { throw DevAccountError.setCodeTransaction.rpc }
            from = try field("from").map { try RPCParams.address($0, "from") }
            to = try field("to").map { try RPCParams.address($0, "to") }
            nonce = try field("nonce").map { try RPCParams.quantity64($0, "nonce") }
            gas = try field("gas").map { try RPCParams.quantity64($0, "gas") }
            value = try field("value").map { try RPCParams.quantity($0, "value") }
            let input = try field("input").map { try RPCParams.bytes($0, "input") }
            let data = try field("data").map { try RPCParams.bytes($0, "data") }
            if let input, let data, input != data { throw DevAccountError.conflictingInput.rpc }
            self.input = input ?? data
            gasPrice = try field("gasPrice").map { try RPCParams.quantity($0, "gasPrice") }
            maxFeePerGas = try field("maxFeePerGas").map { try RPCParams.quantity($0, "maxFeePerGas") }
            maxPriorityFeePerGas = try field("maxPriorityFeePerGas").map { try RPCParams.quantity($0, "maxPriorityFeePerGas") }
            chainID = try field("chainId").map { try RPCParams.quantity($0, "chainId") }
            accessList = try field("accessList").map(Self.accessList)
        }

        /// `[{address, storageKeys: [hash32]}]`.
        static func accessList(_ value: JSON) throws -> [AccessListEntry] {
            guard let entries = value.array else { throw RPCError.invalidParams("accessList must be a list of {address, storageKeys} objects") }
            return try entries.map { entry in
                guard let o = entry.object else { throw RPCError.invalidParams("accessList entries must be {address, storageKeys} objects") }
                let keys: [JSON]
                switch o["storageKeys"] {
                case nil, .null?: keys = []
                case .array(let list)?: keys = list
                default: throw RPCError.invalidParams("accessList storageKeys must be a list of 32-byte hashes")
                }
                return AccessListEntry(address: try RPCParams.address(o["address"], "accessList address"),
                                       storageKeys: try keys.map { try RPCParams.hash($0, "accessList storage key") })
            }
        }
    }
}
