import AnkrPrimitives

extension EthClient {
    /// Which logs `eth_getLogs` returns: from some addresses (any when empty), with topics matching
    /// position by position (nil: any; a list: one of them), in a block range or one block.
    public struct LogFilter: Sendable, Equatable {
        public var addresses: [Address]
        public var topics: [[H256]?]
        public var fromBlock: BlockTag?
        public var toBlock: BlockTag?
        /// One block by hash instead of a range.
        public var blockHash: H256?

        public init(addresses: [Address] = [], topics: [[H256]?] = [], fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil, blockHash: H256? = nil) {
            self.addresses = addresses; self.topics = topics; self.fromBlock = fromBlock; self.toBlock = toBlock; self.blockHash = blockHash
        }

        /// The filter object; one address or topic alternative is written as a single value, as ethclient does.
        public var json: JSON {
            var o: [String: JSON] = [:]
            switch addresses.count {
            case 0: break
            case 1: o["address"] = .string(addresses[0].checksummed)
            default: o["address"] = .array(addresses.map { .string($0.checksummed) })
            }
            if !topics.isEmpty {
                o["topics"] = .array(topics.map { alternatives -> JSON in
                    guard let alternatives else { return .null }
                    return alternatives.count == 1 ? .string(alternatives[0].description) : .array(alternatives.map { .string($0.description) })
                })
            }
            if let fromBlock { o["fromBlock"] = fromBlock.json }
            if let toBlock { o["toBlock"] = toBlock.json }
            if let blockHash { o["blockHash"] = .string(blockHash.description) }
            return .object(o)
        }
    }
}
