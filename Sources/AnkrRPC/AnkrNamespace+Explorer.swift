import AnkrChain
import AnkrPrimitives
import Foundation

/// `ankr_` methods the explorer reads: decoded system-contract calls and events, and an account's
/// recent transactions (scanned from recent blocks; the node keeps no per-address index).
extension AnkrNamespace {
    /// Most blocks `ankr_accountTransactions` scans back from the head.
    public static let maxScannedBlocks: UInt64 = 5_000

    func registerExplorerMethods(in table: RPCMethodTable) {
        table.register("ankr_systemContracts") { p in
            try p.expect(min: 0, max: 0)
            // A family (one PlasmaRoot per child chain) has no single address: `address` is null for it.
            return backend.chain.executor.systemContracts.all.map { c -> [String: Any] in
                ["name": c.name, "address": c.handles(c.address) ? c.address.checksummed : NSNull(),
                 "abi": (try? JSONSerialization.jsonObject(with: Data(c.abiJSON.utf8))) ?? []]
            }
        }
        table.register("ankr_decodeTransaction") { p in
            try p.expect(min: 1, max: 1)
            let hash = try p.hash(0, "transaction hash")
            guard let (tx, location) = try backend.chain.transaction(hash: hash) else { return NSNull() }
            let contracts = backend.chain.executor.systemContracts
            var out: [String: Any] = ["hash": hash.description, "contract": NSNull(), "function": NSNull(), "arguments": [Any]()]
            if let to = tx.to, let contract = contracts.contract(at: to) {
                out["contract"] = contract.name
                if let (f, args) = contract.interface.decodeCall(tx.data) {
                    out["function"] = f.signature
                    out["arguments"] = zip(f.inputs, args).map { p, v in ["name": p.name, "type": p.type.description, "value": Self.json(v)] }
                }
            }
            let receipts = try backend.chain.receipts(blockHash: location.blockHash) ?? []
            let logs = location.index < receipts.count ? receipts[location.index].logs : []
            out["events"] = logs.map { log -> [String: Any] in
                var e: [String: Any] = ["address": log.address.checksummed, "contract": NSNull(), "event": NSNull(), "arguments": [Any]()]
                if let contract = contracts.contract(at: log.address) {
                    e["contract"] = contract.name
                    if let (event, args) = contract.interface.decodeLog(topics: log.topics, data: log.data) {
                        e["event"] = event.name
                        e["arguments"] = zip(event.parameters, args).map { p, v in ["name": p.name, "type": p.type.description, "value": Self.json(v)] }
                    }
                }
                return e
            }
            return out
        }
        table.register("ankr_accountTransactions") { p in
            try p.expect(min: 1, max: 2)
            let address = try p.address(0)
            let options = p.has(1) ? try p.object(1, "options") : [:]
            let blocks = try options["blocks"].map { try RPCParams.quantity64($0, "blocks") } ?? 1_000
            let limit = try options["limit"].map { try RPCParams.quantity64($0, "limit") } ?? 25
            guard blocks >= 1, blocks <= Self.maxScannedBlocks else {
                throw RPCError.invalidParams("blocks must be between 1 and \(Self.maxScannedBlocks)")
            }
            guard limit >= 1, limit <= 500 else { throw RPCError.invalidParams("limit must be between 1 and 500") }
            var found = [[String: Any]]()
            var header: BlockHeader? = backend.chain.head
            var scanned: UInt64 = 0
            while let h = header, scanned < blocks, found.count < Int(limit) {
                if let block = try backend.chain.block(hash: h.hash) {
                    for tx in block.transactions.reversed() {
                        let from = try? tx.recoverSender()
                        guard from == address || tx.to == address else { continue }
                        found.append(["hash": tx.hash.description, "blockNumber": RPCFormat.q(h.number), "from": from?.checksummed ?? NSNull(),
                                      "to": tx.to?.checksummed ?? NSNull(), "value": RPCFormat.q(tx.value), "nonce": RPCFormat.q(tx.nonce)])
                        if found.count >= Int(limit) { break }
                    }
                }
                scanned += 1
                header = h.number == 0 ? nil : try backend.chain.header(hash: h.parentHash)
            }
            return ["transactions": found, "scannedBlocks": RPCFormat.q(scanned)]
        }
    }

    /// An ABI value as JSON: numbers as decimal strings, bytes as hex, addresses checksummed.
    static func json(_ v: ABIValue) -> Any {
        switch v {
        case .array(let items), .tuple(let items): return items.map(json)
        case .bool(let b): return b
        default: return v.description
        }
    }
}
