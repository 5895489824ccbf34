import AnkrPrimitives

extension EthClient {
    /// One event log as `eth_getLogs` and receipts report it.
    public struct Log: Sendable, Equatable {
        public var address: Address
        public var topics: [H256]
        public var data: [UInt8]
        public var blockNumber: UInt64
        public var blockHash: H256
        public var transactionHash: H256
        public var transactionIndex: UInt64
        /// The log's position among all logs of its block.
        public var logIndex: UInt64
        /// Whether a reorganisation took the log's block out of the chain.
        public var removed: Bool

        public init(address: Address, topics: [H256], data: [UInt8], blockNumber: UInt64, blockHash: H256, transactionHash: H256,
                    transactionIndex: UInt64, logIndex: UInt64, removed: Bool = false) {
            self.address = address; self.topics = topics; self.data = data; self.blockNumber = blockNumber; self.blockHash = blockHash
            self.transactionHash = transactionHash; self.transactionIndex = transactionIndex; self.logIndex = logIndex; self.removed = removed
        }

        /// Reads a log object; `path` names it in errors. `removed` may be absent (false).
        public init(json: JSON, path: String = "log") throws {
            address = try json.member("address", in: path).address("\(path).address")
            topics = try json.member("topics", in: path).list("\(path).topics").enumerated().map { i, t in try t.h256("\(path).topics[\(i)]") }
            data = try json.member("data", in: path).bytes("\(path).data")
            blockNumber = try json.member("blockNumber", in: path).quantity64("\(path).blockNumber")
            blockHash = try json.member("blockHash", in: path).h256("\(path).blockHash")
            transactionHash = try json.member("transactionHash", in: path).h256("\(path).transactionHash")
            transactionIndex = try json.member("transactionIndex", in: path).quantity64("\(path).transactionIndex")
            logIndex = try json.member("logIndex", in: path).quantity64("\(path).logIndex")
            removed = try json["removed"]?.optional { try $0.boolean("\(path).removed") } ?? false
        }
    }
}
