import AnkrPrimitives
import AnkrRPC
import Foundation

extension RootContractClient: MainChainReader {
    public func blockHash(at number: UInt64) throws -> H256? {
        let reply = try rpc.call("eth_getBlockByNumber", [RPCFormat.q(number), false])
        if reply is NSNull { return nil }
        guard let block = reply as? [String: Any], let text = block["hash"] as? String, let hash = try? H256(Hex.decode(text)) else {
            throw Failure("eth_getBlockByNumber \(number) returned no block hash")
        }
        return hash
    }

    public func logs(_ event: String, from: UInt64, to: UInt64) throws -> [MainChainLog] {
        guard from <= to else { return [] }
        guard let topic = PlasmaRoot.interface.event(named: event)?.topic else { throw Failure("no event \(event)") }
        var out = [MainChainLog]()
        var start = from
        while start <= to {
            let end = to - start > 9_999 ? start + 9_999 : to  // the node's eth_getLogs range limit
            let filter: [String: Any] = ["address": address.checksummed, "fromBlock": RPCFormat.q(start), "toBlock": RPCFormat.q(end),
                                         "topics": [topic.description]]
            guard let logs = try rpc.call("eth_getLogs", [filter]) as? [[String: Any]] else { throw Failure("eth_getLogs did not return a list") }
            for log in logs {
                let topics = try ((log["topics"] as? [String]) ?? []).map { try H256(Hex.decode($0)) }
                let data = try Hex.decode((log["data"] as? String) ?? "0x")
                guard let decoded = PlasmaRoot.interface.decodeLog(topics: topics, data: data),
                      let numberText = log["blockNumber"] as? String, let number = (try? UInt256(parsing: numberText))?.uint64,
                      let hashText = log["blockHash"] as? String, let hash = try? H256(Hex.decode(hashText)) else {
                    throw Failure("undecodable \(event) log")
                }
                out.append(MainChainLog(block: MainChainAnchor(number: number, hash: hash), arguments: decoded.arguments))
            }
            if end == to { break }
            start = end + 1
        }
        return out
    }
}
