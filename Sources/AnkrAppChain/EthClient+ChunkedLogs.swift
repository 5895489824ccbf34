import AnkrPrimitives
import AnkrRPC

extension EthClient {
    /// Blocks one `eth_getLogs` covers at most (nodes refuse wide ranges; Ankr's limit is 10,000).
    static let logChunkBlocks: UInt64 = 5_000

    /// The logs of `address` with first topic `topic` (and `second`, when given) from main-chain block `from`
    /// through `to`, asked for in ranges a node answers.
    func logs(of address: Address, topic: H256, second: H256? = nil, from: UInt64, through to: UInt64) throws -> [Log] {
        var out = [Log]()
        var start = from
        while start <= to {
            let end = min(to, start &+ Self.logChunkBlocks &- 1)
            out += try logs(.init(addresses: [address], topics: second.map { [[topic], [$0]] } ?? [[topic]], fromBlock: .number(start), toBlock: .number(end)))
            guard end < .max else { break }
            start = end + 1
        }
        return out
    }
}
