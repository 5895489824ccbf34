import AnkrPrimitives
import AnkrRPC

extension RootContractClient: MainChainReader {
    public func blockHash(at number: UInt64) throws -> H256? {
        try client.block(number: .number(number))?.hash
    }

    public func logs(_ event: String, from: UInt64, to: UInt64) throws -> [MainChainLog] {
        guard from <= to else { return [] }
        guard let topic = PlasmaRoot.interface.event(named: event)?.topic else { throw Failure.unknownEvent(event) }
        var out = [MainChainLog]()
        var start = from
        while start <= to {
            let end = to - start > 9_999 ? start + 9_999 : to  // the node's eth_getLogs range limit
            let filter = EthClient.LogFilter(addresses: [address], topics: [[topic]], fromBlock: .number(start), toBlock: .number(end))
            for log in try client.logs(filter) {
                guard let decoded = PlasmaRoot.interface.decodeLog(topics: log.topics, data: log.data) else {
                    throw Failure.undecodableLog(event: event, block: log.blockNumber)
                }
                out.append(MainChainLog(block: MainChainAnchor(number: log.blockNumber, hash: log.blockHash), arguments: decoded.arguments))
            }
            if end == to { break }
            start = end + 1
        }
        return out
    }
}
