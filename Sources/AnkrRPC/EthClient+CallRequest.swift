import AnkrPrimitives

extension EthClient {
    /// The body of `eth_call` and `eth_estimateGas`; absent fields are left to the node's defaults.
    public struct CallRequest: Sendable, Equatable {
        public var from: Address?
        public var to: Address?
        public var value: UInt256?
        public var data: [UInt8]
        public var gas: UInt64?

        public init(from: Address? = nil, to: Address? = nil, value: UInt256? = nil, data: [UInt8] = [], gas: UInt64? = nil) {
            self.from = from; self.to = to; self.value = value; self.data = data; self.gas = gas
        }

        /// The call object: `from`, `to`, `value`, `data`, `gas` (only those given; `data` always).
        public var json: JSON {
            var o: [String: JSON] = ["data": RPCFormat.data(data)]
            if let from { o["from"] = .string(from.checksummed) }
            if let to { o["to"] = .string(to.checksummed) }
            if let value { o["value"] = RPCFormat.q(value) }
            if let gas { o["gas"] = RPCFormat.q(gas) }
            return .object(o)
        }
    }
}
