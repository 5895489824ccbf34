import AnkrPrimitives

extension EthClient {
    /// A mined transaction's receipt (`eth_getTransactionReceipt`).
    public struct Receipt: Sendable, Equatable {
        public var transactionHash: H256
        public var transactionIndex: UInt64
        public var blockHash: H256
        public var blockNumber: UInt64
        public var from: Address
        /// Nil for a contract creation.
        public var to: Address?
        /// The created contract, for a creation.
        public var contractAddress: Address?
        public var cumulativeGasUsed: UInt64
        public var gasUsed: UInt64
        public var effectiveGasPrice: UInt256
        /// `status` 1: the transaction ran to the end (0: it reverted or failed).
        public var succeeded: Bool
        /// The transaction type (0 legacy, 1 access list, 2 dynamic fee).
        public var type: UInt64
        public var logs: [Log]

        /// Reads a receipt object; `path` names it in errors.
        public init(json: JSON, path: String = "receipt") throws {
            func field(_ key: String) throws -> JSON { try json.member(key, in: path) }
            transactionHash = try field("transactionHash").h256("\(path).transactionHash")
            transactionIndex = try field("transactionIndex").quantity64("\(path).transactionIndex")
            blockHash = try field("blockHash").h256("\(path).blockHash")
            blockNumber = try field("blockNumber").quantity64("\(path).blockNumber")
            from = try field("from").address("\(path).from")
            to = try field("to").optional { try $0.address("\(path).to") }
            contractAddress = try json["contractAddress"]?.optional { try $0.address("\(path).contractAddress") } ?? nil
            cumulativeGasUsed = try field("cumulativeGasUsed").quantity64("\(path).cumulativeGasUsed")
            gasUsed = try field("gasUsed").quantity64("\(path).gasUsed")
            effectiveGasPrice = try field("effectiveGasPrice").quantity("\(path).effectiveGasPrice")
            switch try field("status").quantity64("\(path).status") {
            case 0: succeeded = false
            case 1: succeeded = true
            default: throw RPCClientError.unexpected(path: "\(path).status", expected: "0x0 or 0x1", found: json["status"]?.string ?? "another number")
            }
            type = try json["type"]?.optional { try $0.quantity64("\(path).type") } ?? 0
            logs = try field("logs").list("\(path).logs").enumerated().map { i, log in try Log(json: log, path: "\(path).logs[\(i)]") }
        }
    }
}
