import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The criteria of a log filter, as `eth_getLogs`, `eth_newFilter` and the `logs` subscription take
/// them: addresses, up to four topic positions of alternatives, and either a block range (tags kept as
/// given, resolved by the caller) or one block hash.
///
/// An empty address list or an empty/null topic position matches anything (as in geth); a null or
/// empty position past the end of a log's topics matches too (geth refuses it; eth_getLogs has always
/// answered this way here).
public struct LogFilter: Sendable {
    /// Every address matches when nil.
    public let addresses: Set<Address>?
    /// Per position, the alternatives; nil matches any topic.
    public let topics: [Set<H256>?]
    /// `fromBlock` / `toBlock` as given (a tag or a quantity); nil when absent.
    public let fromBlock: JSON?
    public let toBlock: JSON?
    /// The one block of a `blockHash` filter.
    public let blockHash: H256?
    /// The block numbers of `fromBlock` / `toBlock` for a filter following new blocks; nil is open.
    let liveFrom: UInt64?
    let liveTo: UInt64?

    /// Each value hashed once into bloom bits, not once per block tested.
    private let addressProbes: [Bloom.Probe]?
    private let topicProbes: [[Bloom.Probe]?]

    /// Parses a filter object; malformed or oversized criteria are refused with -32602.
    public init(criteria: [String: JSON]) throws {
        switch criteria["address"] {
        case nil, .null?: addresses = nil
        case .array(let list)?:
            guard list.count <= EthNamespace.maxFilterAlternatives else {
                throw RPCError.invalidParams("address has \(list.count) entries; the limit is \(EthNamespace.maxFilterAlternatives)")
            }
            // An empty list restricts nothing, as in geth.
            addresses = list.isEmpty ? nil : Set(try list.map { try RPCParams.address($0, "address") })
        case let one: addresses = [try RPCParams.address(one, "address")]
        }
        var topics = [Set<H256>?]()
        if let t = criteria["topics"], t != .null {
            guard let list = t.array, list.count <= 4 else { throw RPCError.invalidParams("topics must be a list of at most 4 entries") }
            topics = try list.map { entry in
                switch entry {
                case .null: return nil
                case .array(let alternatives):
                    guard alternatives.count <= EthNamespace.maxFilterAlternatives else {
                        throw RPCError.invalidParams(
                            "a topic position has \(alternatives.count) alternatives; the limit is \(EthNamespace.maxFilterAlternatives)")
                    }
                    return alternatives.isEmpty ? nil : Set(try alternatives.map { try RPCParams.hash($0, "topic") })
                default: return [try RPCParams.hash(entry, "topic")]
                }
            }
        }
        self.topics = topics
        func present(_ name: String) -> JSON? { criteria.member(name) }
        fromBlock = present("fromBlock")
        toBlock = present("toBlock")
        if let hash = present("blockHash") {
            guard fromBlock == nil, toBlock == nil else { throw RPCError.invalidParams("can't specify fromBlock/toBlock with blockHash") }
            blockHash = try RPCParams.hash(hash, "blockHash")
        } else {
            blockHash = nil
        }
        liveFrom = try? Self.liveBound(fromBlock, "fromBlock", isFrom: true)
        liveTo = try? Self.liveBound(toBlock, "toBlock", isFrom: false)
        addressProbes = addresses.map { $0.map { Bloom.Probe($0.bytes) } }
        topicProbes = topics.map { $0.map { $0.map { Bloom.Probe($0.bytes) } } }
    }

    /// Whether `log` passes the address and topic criteria (not the block range).
    public func matches(_ log: Log) -> Bool {
        if let addresses, !addresses.contains(log.address) { return false }
        // As geth: a filter naming more topic positions than the log has does not match it, even when the extra ones are wildcards.
        guard topics.count <= log.topics.count else { return false }
        return topics.enumerated().allSatisfy { position, alternatives in
            guard let alternatives else { return true }
            return alternatives.contains(log.topics[position])
        }
    }

    /// False when a block's bloom proves it holds no matching log, so its receipts need not be read.
    public func mayMatch(_ bloom: Bloom) -> Bool {
        if let a = addressProbes, !a.contains(where: { bloom.mayContain($0) }) { return false }
        return !topicProbes.contains { probes in probes.map { !$0.contains { bloom.mayContain($0) } } ?? false }
    }

    /// The matching logs of `block` with their places, in block order; `removed` marks a block a
    /// reorganization dropped.
    public func logs(in block: Block, receipts: [Receipt], removed: Bool = false) -> [ChainEventLog] {
        ChainEventLog.logs(in: block, receipts: receipts, removed: removed).filter { matches($0.log) }
    }
}
