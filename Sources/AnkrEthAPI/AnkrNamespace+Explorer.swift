import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation

/// `ankr_` methods the explorer reads: decoded system-contract calls and events, and an account's
/// recent transactions (scanned from recent blocks; the node keeps no per-address or sender index).
extension AnkrNamespace {
    /// Most blocks one `ankr_accountTransactions` call walks through.
    public static let maxScannedBlocks: UInt64 = 1_000
    /// Most transactions one `ankr_accountTransactions` call examines. Each costs a signature recovery
    /// (about 50 µs), so a call stays near a tenth of a second however full the blocks are.
    public static let maxExaminedTransactions = 2_000

    func registerExplorerMethods(in table: RPCMethodTable) {
        table.register("ankr_systemContracts") { p in
            try p.expect(min: 0, max: 0)
            // A family (one PlasmaRoot per child chain) has no single address: `address` is null for it.
            return .array(backend.chain.executor.systemContracts.all.map { c -> JSON in
                ["name": .string(c.name), "address": c.handles(c.address) ? .string(c.address.checksummed) : .null,
                 "abi": (try? JSON(parsing: c.abiJSON)) ?? []]
            })
        }
        table.register("ankr_decodeTransaction") { p in
            try p.expect(min: 1, max: 1)
            let hash = try p.hash(0, "transaction hash")
            guard let (tx, location) = try backend.chain.transaction(hash: hash) else { return .null }
            let contracts = backend.chain.executor.systemContracts
            var out: [String: JSON] = ["hash": .string(hash.description), "contract": .null, "function": .null, "arguments": []]
            if let to = tx.to, let contract = contracts.contract(at: to) {
                out["contract"] = .string(contract.name)
                if let (f, args) = contract.interface.decodeCall(tx.data) {
                    out["function"] = .string(f.signature)
                    out["arguments"] = .array(zip(f.inputs, args).map { p, v in
                        ["name": .string(p.name), "type": .string(p.type.description), "value": Self.json(v)]
                    })
                }
            }
            let receipts = try backend.chain.receipts(blockHash: location.blockHash) ?? []
            let logs = location.index < receipts.count ? receipts[location.index].logs : []
            out["events"] = .array(logs.map { log -> JSON in
                var e: [String: JSON] = ["address": .string(log.address.checksummed), "contract": .null, "event": .null, "arguments": []]
                if let contract = contracts.contract(at: log.address) {
                    e["contract"] = .string(contract.name)
                    if let (event, args) = contract.interface.decodeLog(topics: log.topics, data: log.data) {
                        e["event"] = .string(event.name)
                        e["arguments"] = .array(zip(event.parameters, args).map { p, v in
                            ["name": .string(p.name), "type": .string(p.type.description), "value": Self.json(v)]
                        })
                    }
                }
                return .object(e)
            })
            return .object(out)
        }
        table.register("ankr_accountTransactions", heavy: true) { p in
            try p.expect(min: 1, max: 2)
            let address = try p.address(0)
            let options = p.has(1) ? try p.object(1, "options") : [:]
            let blocks = try options["blocks"].map { try RPCParams.quantity64($0, "blocks") } ?? 1_000
            let limit = try options["limit"].map { try RPCParams.quantity64($0, "limit") } ?? 25
            guard blocks >= 1, blocks <= Self.maxScannedBlocks else {
                throw RPCError.invalidParams("blocks must be between 1 and \(Self.maxScannedBlocks)")
            }
            guard limit >= 1, limit <= 500 else { throw RPCError.invalidParams("limit must be between 1 and 500") }
            guard options["fromIndex"] == nil || options["fromBlock"] != nil else { throw RPCError.invalidParams("fromIndex needs fromBlock") }
            var start = backend.chain.head
            var index: Int?
            if let from = options["fromBlock"] {
                let number = try RPCParams.quantity64(from, "fromBlock")
                guard let h = try backend.chain.header(number: number) else { throw RPCError.invalidParams("fromBlock \(number) is above the head") }
                start = h
                index = try options["fromIndex"].map { Int(clamping: try RPCParams.quantity64($0, "fromIndex")) }
            }
            return try accountTransactions(of: address, from: start, index: index, blocks: blocks, limit: Int(limit))
        }
    }

    /// Walks back from transaction `index` of `start` (its last when nil) through at most `blocks` blocks
    /// and ``maxExaminedTransactions`` transactions, collecting up to `limit` transactions from or to
    /// `address`. `next` is where a further call resumes (`fromBlock`, `fromIndex`), null at genesis.
    func accountTransactions(of address: Address, from start: BlockHeader, index: Int?, blocks: UInt64, limit: Int) throws -> JSON {
        var found = [JSON]()
        var examined = 0
        var scanned: UInt64 = 0
        var next: (block: UInt64, index: Int?)?
        var cursor: BlockHeader? = start
        var resume = index
        scan: while let h = cursor {
            let transactions = try backend.chain.block(hash: h.hash)?.transactions ?? []
            if found.count == limit || scanned == blocks || (examined == Self.maxExaminedTransactions && !transactions.isEmpty) {
                next = (h.number, resume)
                break
            }
            scanned += 1
            var i = min(resume ?? Int.max, transactions.count - 1)
            resume = nil
            while i >= 0 {
                if examined == Self.maxExaminedTransactions {
                    next = (h.number, i)
                    break scan
                }
                examined += 1
                let tx = transactions[i]
                let from = try? tx.recoverSender()
                if from == address || tx.to == address {
                    found.append(["hash": .string(tx.hash.description), "blockNumber": RPCFormat.q(h.number), "from": .optional(from?.checksummed),
                                  "to": .optional(tx.to?.checksummed), "value": RPCFormat.q(tx.value), "nonce": RPCFormat.q(tx.nonce)])
                }
                i -= 1
                if found.count == limit, i >= 0 {
                    next = (h.number, i)
                    break scan
                }
            }
            cursor = h.number == 0 ? nil : try backend.chain.header(hash: h.parentHash)
        }
        let resumeAt: JSON = next.map { n -> JSON in
            var o: [String: JSON] = ["fromBlock": RPCFormat.q(n.block)]
            if let i = n.index { o["fromIndex"] = RPCFormat.q(i) }
            return .object(o)
        } ?? .null
        return ["transactions": .array(found), "scannedBlocks": RPCFormat.q(scanned), "next": resumeAt]
    }

    /// An ABI value as JSON: numbers as decimal strings, bytes as hex, addresses checksummed.
    static func json(_ v: ABIValue) -> JSON {
        switch v {
        case .array(let items), .tuple(let items): return .array(items.map(json))
        case .bool(let b): return .bool(b)
        default: return .string(v.description)
        }
    }
}
