import AnkrPrimitives

extension EthClient {
    /// A transaction as `eth_getTransactionByHash` reports it; the block fields are nil while it is pending.
    public struct TransactionInfo: Sendable, Equatable {
        public var hash: H256
        public var nonce: UInt64
        public var from: Address
        /// Nil for a contract creation.
        public var to: Address?
        public var value: UInt256
        public var gas: UInt64
        public var input: [UInt8]
        public var blockHash: H256?
        public var blockNumber: UInt64?
        public var transactionIndex: UInt64?

        /// Reads a transaction object; `path` names it in errors.
        public init(json: JSON, path: String = "transaction") throws {
            func field(_ key: String) throws -> JSON { try json.member(key, in: path) }
            hash = try field("hash").h256("\(path).hash")
            nonce = try field("nonce").quantity64("\(path).nonce")
            from = try field("from").address("\(path).from")
            to = try field("to").optional { try $0.address("\(path).to") }
            value = try field("value").quantity("\(path).value")
            gas = try field("gas").quantity64("\(path).gas")
            input = try field("input").bytes("\(path).input")
            blockHash = try json["blockHash"]?.optional { try $0.h256("\(path).blockHash") } ?? nil
            blockNumber = try json["blockNumber"]?.optional { try $0.quantity64("\(path).blockNumber") } ?? nil
            transactionIndex = try json["transactionIndex"]?.optional { try $0.quantity64("\(path).transactionIndex") } ?? nil
        }
    }
}
