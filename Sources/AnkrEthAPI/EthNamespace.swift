import AnkrChain
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTrie
import Foundation

/// The `eth_`, `net_` and `web3_` methods, in Ethereum's exact JSON formats.
public struct EthNamespace: Sendable {
    public let backend: RPCBackend
    /// Most blocks one `eth_getLogs` may scan.
    public let maxLogRange: UInt64 = 10_000
    /// Bounds on what one call may ask for, so a small request cannot build a reply of gigabytes or hash
    /// for hours: storage keys of `eth_getProof` (each proof is a few KB), reward percentiles of
    /// `eth_feeHistory` (geth's limit), addresses and alternatives per topic of an `eth_getLogs` filter.
    public static let maxProofKeys = 1024
    public static let maxRewardPercentiles = 100
    public static let maxFilterAlternatives = 1000
    /// Suggested priority fee when recent blocks give no signal (1 gwei, as geth's dev mode).
    public let defaultTip = UInt256(1_000_000_000)
    /// The EVM time limit and whether unprotected transactions are taken.
    public let limits: RPCLimits

    /// Where this node's blocks pay their fees (`eth_coinbase`); nil on a node that produces none.
    public let coinbase: Address?
    /// Gas all the calls of one `eth_simulateV1` may use together: geth's default `--rpc.gascap`.
    public let simulationGasBudget: UInt64

    public init(backend: RPCBackend, limits: RPCLimits = RPCLimits(), coinbase: Address? = nil, simulationGasBudget: UInt64 = 50_000_000) {
        self.backend = backend
        self.limits = limits
        self.coinbase = coinbase
        self.simulationGasBudget = simulationGasBudget
    }

    var chain: Blockchain { backend.chain }

    public func register(in table: RPCMethodTable) {
        table.register("web3_clientVersion") { p in try p.expect(min: 0, max: 0); return .string(backend.clientVersion) }
        table.register("web3_sha3") { p in try p.expect(min: 1, max: 1); return RPCFormat.data(Keccak256.hash(try p.bytes(0, "data"))) }
        table.register("net_version") { p in try p.expect(min: 0, max: 0); return .string(String(chain.chainID)) }
        table.register("net_listening") { _ in true }
        table.register("eth_chainId") { p in try p.expect(min: 0, max: 0); return RPCFormat.q(chain.chainID) }
        table.register("eth_blockNumber") { p in try p.expect(min: 0, max: 0); return RPCFormat.q(chain.head.number) }
        table.register("eth_syncing") { _ in false }
        table.register("eth_accounts") { _ in [] }
        table.register("eth_getBalance") { p in
            try p.expect(min: 1, max: 2)
            return RPCFormat.q(try state(p, 1).balance(try p.address(0)))
        }
        table.register("eth_getTransactionCount") { p in
            try p.expect(min: 1, max: 2)
            let address = try p.address(0)
            if p.has(1), try p.string(1, "block") == "pending" {
                return RPCFormat.q(try pendingNonce(address))
            }
            return RPCFormat.q(try state(p, 1).nonce(address))
        }
        table.register("eth_getCode") { p in
            try p.expect(min: 1, max: 2)
            return RPCFormat.data(try state(p, 1).code(try p.address(0)))
        }
        table.register("eth_getStorageAt") { p in
            try p.expect(min: 2, max: 3)
            let slot = try p.quantity(1, "slot")
            return RPCFormat.data(try state(p, 2).storage(try p.address(0), slot: H256(word: slot)).bigEndianBytes)
        }
        table.register("eth_gasPrice") { p in
            try p.expect(min: 0, max: 0)
            return RPCFormat.q(BaseFee.next(after: chain.head) &+ (try suggestedTip()))
        }
        table.register("eth_maxPriorityFeePerGas") { p in try p.expect(min: 0, max: 0); return RPCFormat.q(try suggestedTip()) }
        table.register("eth_feeHistory", heavy: true) { p in try feeHistory(p) }
        table.register("eth_getBlockByNumber") { p in
            try p.expect(min: 1, max: 2)
            guard let header = try header(p.value(0), "block") else { return .null }
            return try blockJSON(header, full: p.has(1) ? try p.bool(1, "full") : false)
        }
        table.register("eth_getBlockByHash") { p in
            try p.expect(min: 1, max: 2)
            guard let header = try chain.header(hash: try p.hash(0)) else { return .null }
            return try blockJSON(header, full: p.has(1) ? try p.bool(1, "full") : false)
        }
        table.register("eth_getBlockTransactionCountByNumber") { p in
            try p.expect(min: 1, max: 1)
            guard let header = try header(p.value(0), "block"), let b = try chain.block(hash: header.hash) else { return .null }
            return RPCFormat.q(b.transactions.count)
        }
        table.register("eth_getTransactionByHash") { p in
            try p.expect(min: 1, max: 1)
            let hash = try p.hash(0)
            if let (tx, loc) = try chain.transaction(hash: hash) {
                let header = try chain.header(hash: loc.blockHash)
                return try transactionJSON(tx, location: loc, baseFee: header?.baseFeePerGas, blockTimestamp: header?.timestamp)
            }
            if let tx = backend.mempool.transaction(hash) { return try transactionJSON(tx, location: nil, baseFee: nil) }
            return .null
        }
        table.register("eth_getTransactionReceipt") { p in
            try p.expect(min: 1, max: 1)
            return try receiptJSON(try p.hash(0)) ?? .null
        }
        table.register("eth_sendRawTransaction") { p in
            try p.expect(min: 1, max: 1)
            let raw = try p.bytes(0, "transaction")
            let tx: Transaction
            do { tx = try Transaction(raw: raw) } catch { throw RPCError.invalidParams("\(error)") }
            // Signed without a chain id, it can be replayed on every chain (geth refuses it too).
            if tx.type == .legacy, tx.chainID == nil, !limits.allowUnprotectedTransactions { throw RPCError.unprotectedTransaction }
            do { return .string(try backend.submit(tx).description) } catch { throw RPCError.server("\(error)") }
        }
        // geth's optional third and fourth parameters: accounts and block fields replaced for the call.
        table.register("eth_call", heavy: true) { p in
            try p.expect(min: 1, max: 4)
            let call = try p.object(0, "transaction")
            guard let h = try header(p.value(1), "block") else { throw RPCError.server("header not found") }
            let accounts = try SimulateAccountOverride.all(p.value(2))
            let block = try SimulateBlockRequest.Overrides(p.value(3))
            return RPCFormat.data(try timed { try self.call(call, at: h, accounts: accounts, block: block, deadline: $0) })
        }
        table.register("eth_estimateGas", heavy: true) { p in
            try p.expect(min: 1, max: 3)
            let call = try p.object(0, "transaction")
            guard let h = try header(p.value(1), "block") else { throw RPCError.server("header not found") }
            let accounts = try SimulateAccountOverride.all(p.value(2))
            return RPCFormat.q(try timed { try estimateGas(call, at: h, accounts: accounts, deadline: $0) })
        }
        table.register("eth_getLogs", heavy: true) { p in try logs(p) }
        // As many storage proofs as the body holds keys.
        table.register("eth_getProof", heavy: true) { p in try proof(p) }
        registerBlockLookups(in: table)
        registerNodeInfo(in: table)
        registerSimulation(in: table)
    }

    // MARK: Blocks and state

    /// Resolves a block tag: latest/pending/safe/finalized, earliest, a number, or {blockHash}.
    func header(_ tag: JSON?, _ name: String) throws -> BlockHeader? {
        switch tag {
        case nil, .null?: return chain.head
        case .string(let s)?:
            switch s {
            case "latest", "pending", "safe", "finalized": return chain.head
            case "earliest": return try chain.header(number: 0)
            default: return try chain.header(number: try RPCParams.quantity64(.string(s), name))
            }
        case .object(let o)?:
            if let h = o["blockHash"] { return try chain.header(hash: try RPCParams.hash(h, "blockHash")) }
            if let n = o["blockNumber"] { return try chain.header(number: try RPCParams.quantity64(n, "blockNumber")) }
            throw RPCError.invalidParams("\(name) object needs blockHash or blockNumber")
        default:
            throw RPCError.invalidParams("\(name) must be a block tag, number or hash object")
        }
    }

    func state(_ p: RPCParams, _ i: Int) throws -> WorldState {
        guard let h = try header(p.value(i), "block") else { throw RPCError.server("header not found") }
        return chain.state(at: h)
    }

    func pendingNonce(_ address: Address) throws -> UInt64 {
        try backend.mempool.pendingNonce(address, state: chain.state(at: chain.head))
    }

    /// A call request's fields (`from`, `to`, `value`, `input`/`data`, `gas`, `accessList`).
    struct CallRequest {
        var from: Address
        var to: Address?
        var value: UInt256
        var input: [UInt8]
        var gas: UInt64?
        var accessList: [AccessListEntry]

        init(_ call: [String: JSON]) throws {
            func field(_ name: String) -> JSON? { call.member(name) }
            from = try field("from").map { try RPCParams.address($0, "from") } ?? .zero
            to = try field("to").map { try RPCParams.address($0, "to") }
            value = try field("value").map { try RPCParams.quantity($0, "value") } ?? .zero
            let input = try field("input").map { try RPCParams.bytes($0, "input") }
            let data = try field("data").map { try RPCParams.bytes($0, "data") }
            if let input, let data, input != data { throw RPCError.invalidParams("both input and data given, and they differ") }
            self.input = input ?? data ?? []
            gas = try field("gas").map { try RPCParams.quantity64($0, "gas") }
            guard let list = field("accessList") else { accessList = []; return }
            guard let entries = list.array?.compactMap(\.object), entries.count == list.array?.count else {
                throw RPCError.invalidParams("accessList must be a list of objects")
            }
            accessList = try entries.map { e in
                AccessListEntry(address: try RPCParams.address(e["address"], "accessList address"),
                                storageKeys: try (e["storageKeys"]?.array ?? []).map { try RPCParams.hash($0, "storage key") })
            }
        }
    }

    /// The block a call runs in: the one after `header`. On the head it is stamped now (as that block
    /// would be), so time-dependent contracts (exits maturing) are estimated as they will run.
    func callContext(at header: BlockHeader) -> BlockContext {
        var next = header
        next.number += 1
        next.parentHash = header.hash
        // Saturating: a chain whose last block is stamped 2^64−1 (a hostile genesis or peer) must not trap here.
        let after = header.timestamp == .max ? .max : header.timestamp + 1
        next.timestamp = header.hash == chain.head.hash ? max(after, UInt64(Date().timeIntervalSince1970)) : after
        next.baseFeePerGas = BaseFee.next(after: header)
        return BlockContext(header: next, chainID: chain.chainID, ancestorHashes: chain.ancestorHashes(childOf: header))
    }

    /// Runs `body` with a deadline ``RPCLimits/evmTimeout`` from now; a run past it answers geth's timeout error.
    func timed<T>(_ body: (ContinuousClock.Instant?) throws -> T) throws -> T {
        guard let limit = limits.evmTimeout else { return try body(nil) }
        do {
            return try body(ContinuousClock.now.advanced(by: limit))
        } catch is ExecutionTimeout {
            throw RPCError.timeout(limit)
        }
    }

    /// Runs `request` through the EVM with `gas` in `context`, on a throwaway copy of the state at `header`
    /// with `accounts` replaced. Refusals to start are RPC errors; ``ExecutionTimeout`` passes through.
    func simulate(_ request: CallRequest, gas: UInt64, at header: BlockHeader, context: BlockContext,
                  accounts: [(Address, SimulateAccountOverride)] = [], deadline: ContinuousClock.Instant?) throws -> CallResult {
        let state = chain.state(at: header)
        for (address, override) in accounts { try override.apply(to: state, at: address) }
        do {
            return try StateTransition.call(from: request.from, to: request.to, value: request.value, input: request.input, gas: gas,
                                            accessList: request.accessList, context: context, state: state,
                                            systemContracts: chain.executor.systemContracts, deadline: deadline)
        } catch let e as TransactionError {
            throw RPCError.server("\(e)")
        } catch let e as ChainError {
            throw RPCError.server("\(e)")
        }
    }

    /// `eth_call`: the return data, or error 3 with the revert data.
    func call(_ call: [String: JSON], at header: BlockHeader, accounts: [(Address, SimulateAccountOverride)] = [],
              block: SimulateBlockRequest.Overrides = .init(), deadline: ContinuousClock.Instant?) throws -> [UInt8] {
        let request = try CallRequest(call)
        let context = block.applied(to: callContext(at: header))
        let result = try simulate(request, gas: min(request.gas ?? context.gasLimit, context.gasLimit), at: header, context: context,
                                  accounts: accounts, deadline: deadline)
        return try Self.output(of: result)
    }

    static func output(of result: CallResult) throws -> [UInt8] {
        if result.succeeded { return result.output }
        if result.reverted { throw RPCError.reverted(result.output) }
        throw RPCError.server(result.failure ?? "execution failed")
    }

    /// `eth_estimateGas`: the least gas limit at which the call succeeds, found by bisection (refunds
    /// and the 63/64 rule make the gas used a lower bound, not the answer). Every run shares one
    /// `deadline`, and there are at most 2 + ⌈log2(cap − gas used)⌉ ≤ 66 runs: the one at the cap, the
    /// one at the gas it used, then one per halving of a 64-bit interval.
    func estimateGas(_ call: [String: JSON], at header: BlockHeader, accounts: [(Address, SimulateAccountOverride)] = [],
                     deadline: ContinuousClock.Instant?) throws -> UInt64 {
        let request = try CallRequest(call)
        let cap = min(request.gas ?? header.gasLimit, header.gasLimit)
        // One block context (256 ancestor hashes read once) for every trial run.
        let context = callContext(at: header)
        // Whether the call succeeds with `gas`; a refusal to start (intrinsic gas above `gas`) is a failure,
        // a timeout or a database fault ends the estimate.
        func succeeds(_ gas: UInt64) throws -> Bool {
            do {
                return try simulate(request, gas: gas, at: header, context: context, accounts: accounts, deadline: deadline).succeeded
            } catch is RPCError {
                return false
            }
        }
        let first = try simulate(request, gas: cap, at: header, context: context, accounts: accounts, deadline: deadline)
        _ = try Self.output(of: first)
        // A limit of the gas used often suffices; try it before bisecting.
        if try succeeds(first.gasUsed) { return first.gasUsed }
        var low = first.gasUsed, high = cap
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if try succeeds(mid) { high = mid } else { low = mid }
        }
        return high
    }

    func suggestedTip() throws -> UInt256 {
        var tips = [UInt256]()
        var header: BlockHeader? = chain.head
        for _ in 0..<20 {
            guard let h = header, h.number > 0, let b = try chain.block(hash: h.hash) else { break }
            tips += b.transactions.map { min($0.tipCap, $0.feeCap &- min($0.feeCap, h.baseFeePerGas)) }
            header = try chain.header(hash: h.parentHash)
        }
        guard !tips.isEmpty else { return defaultTip }
        tips.sort()
        // The 60th percentile (index < count because count ≥ 1).
        return max(tips[tips.count * 6 / 10], UInt256.one)
    }

    func blockJSON(_ h: BlockHeader, full: Bool) throws -> JSON {
        guard let block = try chain.block(hash: h.hash) else { throw RPCError.server("block body missing") }
        let txs: [JSON] = full
            ? try block.transactions.enumerated().map { i, tx in
                try transactionJSON(tx, location: .init(blockHash: h.hash, blockNumber: h.number, index: i), baseFee: h.baseFeePerGas,
                                    blockTimestamp: h.timestamp)
            }
            : block.transactions.map { .string($0.hash.description) }
        return [
            "number": RPCFormat.q(h.number), "hash": .string(h.hash.description), "parentHash": .string(h.parentHash.description),
            "nonce": "0x0000000000000000", "mixHash": .string(H256.zero.description), "sha3Uncles": .string(h.ommersHash.description),
            "logsBloom": RPCFormat.data(h.logsBloom.bytes), "transactionsRoot": .string(h.transactionsRoot.description),
            "stateRoot": .string(h.stateRoot.description), "receiptsRoot": .string(h.receiptsRoot.description),
            "miner": .string(h.coinbase.checksummed), "difficulty": RPCFormat.q(h.difficulty),
            "totalDifficulty": RPCFormat.q(try chain.totalDifficulty(h.hash) ?? .zero), "extraData": RPCFormat.data(h.extraData),
            "size": RPCFormat.q(block.encoded.count), "gasLimit": RPCFormat.q(h.gasLimit), "gasUsed": RPCFormat.q(h.gasUsed),
            "timestamp": RPCFormat.q(h.timestamp), "transactions": .array(txs), "uncles": [],
            "baseFeePerGas": RPCFormat.q(h.baseFeePerGas), "childChainsRoot": .string(h.childChainsRoot.description),
            "seal": chain.sealer.describe(seal: h.seal),
        ]
    }

    /// A transaction as geth shows it; `location`, `baseFee` and `blockTimestamp` are those of its block (nil while pending).
    func transactionJSON(_ tx: Transaction, location: TransactionLocation?, baseFee: UInt256?, blockTimestamp: UInt64? = nil) throws -> JSON {
        var o: [String: JSON] = [
            "hash": .string(tx.hash.description), "nonce": RPCFormat.q(tx.nonce), "from": .optional(try? tx.recoverSender().checksummed),
            "to": .optional(tx.to?.checksummed), "value": RPCFormat.q(tx.value), "gas": RPCFormat.q(tx.gasLimit),
            "input": RPCFormat.data(tx.data), "type": RPCFormat.q(UInt64(tx.type.rawValue)),
            "v": RPCFormat.q(tx.v), "r": RPCFormat.q(tx.r), "s": RPCFormat.q(tx.s),
            "blockHash": .optional(location?.blockHash.description),
            "blockNumber": location.map { RPCFormat.q($0.blockNumber) } ?? .null,
            "transactionIndex": location.map { RPCFormat.q($0.index) } ?? .null,
            "blockTimestamp": blockTimestamp.map { RPCFormat.q($0) } ?? .null,
        ]
        if let id = tx.chainID { o["chainId"] = RPCFormat.q(id) }
        switch tx.type {
        case .legacy:
            o["gasPrice"] = RPCFormat.q(tx.gasPrice)
        case .accessList, .dynamicFee:
            o["yParity"] = RPCFormat.q(tx.v)
            o["accessList"] = .array(tx.accessList.map {
                ["address": .string($0.address.checksummed), "storageKeys": .array($0.storageKeys.map { .string($0.description) })]
            })
            if tx.type == .dynamicFee {
                o["maxFeePerGas"] = RPCFormat.q(tx.maxFeePerGas)
                o["maxPriorityFeePerGas"] = RPCFormat.q(tx.maxPriorityFeePerGas)
                // Mined: the price paid; pending: the cap.
                o["gasPrice"] = RPCFormat.q(baseFee.map { min(tx.feeCap, $0 &+ tx.tipCap) } ?? tx.maxFeePerGas)
            } else {
                o["gasPrice"] = RPCFormat.q(tx.gasPrice)
            }
        }
        return .object(o)
    }

    func receiptJSON(_ hash: H256) throws -> JSON? {
        guard let (tx, loc) = try chain.transaction(hash: hash), let header = try chain.header(hash: loc.blockHash),
              let receipts = try chain.receipts(blockHash: loc.blockHash), loc.index < receipts.count else { return nil }
        return receiptJSON(tx, index: loc.index, header: header, receipts: receipts)
    }

    func logJSON(_ log: Log, header: BlockHeader, txHash: H256, txIndex: Int, logIndex: Int) -> JSON {
        ["address": .string(log.address.checksummed), "topics": .array(log.topics.map { .string($0.description) }), "data": RPCFormat.data(log.data),
         "blockNumber": RPCFormat.q(header.number), "blockHash": .string(header.hash.description), "transactionHash": .string(txHash.description),
         "transactionIndex": RPCFormat.q(txIndex), "logIndex": RPCFormat.q(logIndex), "removed": false,
         "blockTimestamp": RPCFormat.q(header.timestamp)]
    }

    // MARK: Fee history

    func feeHistory(_ p: RPCParams) throws -> JSON {
        try p.expect(min: 2, max: 3)
        let count = min(try p.quantity64(0, "blockCount"), 1024)
        guard let newest = try header(p.value(1), "newestBlock") else { throw RPCError.server("newest block not found") }
        var percentiles = [Double]()
        if p.has(2) {
            guard let list = p.value(2)?.array, case let numbers = list.compactMap(\.double), numbers.count == list.count else {
                throw RPCError.invalidParams("rewardPercentiles must be a list of numbers")
            }
            percentiles = numbers
            // As geth: at most 100, strictly increasing (repeats would only multiply the answer).
            guard percentiles.count <= Self.maxRewardPercentiles else {
                throw RPCError.invalidParams("rewardPercentiles has \(percentiles.count) entries; the limit is \(Self.maxRewardPercentiles)")
            }
            guard percentiles.allSatisfy({ (0...100).contains($0) }), zip(percentiles, percentiles.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw RPCError.invalidParams("rewardPercentiles must be strictly increasing values between 0 and 100")
            }
        }
        var headers = [BlockHeader]()
        var cursor: BlockHeader? = newest
        while headers.count < Int(count), let h = cursor {
            headers.insert(h, at: 0)
            cursor = h.number == 0 ? nil : try chain.header(hash: h.parentHash)
        }
        guard let oldest = headers.first else { return ["oldestBlock": RPCFormat.q(newest.number), "baseFeePerGas": [], "gasUsedRatio": []] }
        var result: [String: JSON] = [
            "oldestBlock": RPCFormat.q(oldest.number),
            "baseFeePerGas": .array(headers.map { RPCFormat.q($0.baseFeePerGas) } + [RPCFormat.q(BaseFee.next(after: newest))]),
            "gasUsedRatio": .array(headers.map { .double($0.gasLimit == 0 ? 0 : Double($0.gasUsed) / Double($0.gasLimit)) }),
        ]
        if !percentiles.isEmpty {
            result["reward"] = .array(try headers.map { h -> JSON in
                guard let b = try chain.block(hash: h.hash), let receipts = try chain.receipts(blockHash: h.hash), !b.transactions.isEmpty else {
                    return .array(percentiles.map { _ in "0x0" })
                }
                // Each transaction's tip, weighted by the gas it used, as geth computes it.
                var used = [(UInt256, UInt64)]()
                for (i, tx) in b.transactions.enumerated() {
                    let gas = receipts[i].cumulativeGasUsed - (i == 0 ? 0 : receipts[i - 1].cumulativeGasUsed)
                    used.append((min(tx.tipCap, tx.feeCap &- min(tx.feeCap, h.baseFeePerGas)), gas))
                }
                used.sort { $0.0 < $1.0 }
                let total = Double(used.reduce(0) { $0 + $1.1 })
                return .array(percentiles.map { pct in
                    let threshold = total * pct / 100
                    var sum = 0.0
                    for (tip, gas) in used {
                        sum += Double(gas)
                        if sum >= threshold { return RPCFormat.q(tip) }
                    }
                    return RPCFormat.q(used[used.count - 1].0)
                })
            })
        }
        return .object(result)
    }

    // MARK: Logs

    func logs(_ p: RPCParams) throws -> JSON {
        try p.expect(min: 1, max: 1)
        return try logs(LogFilter(criteria: try p.object(0, "filter")))
    }

    /// The logs `filter` matches in its block range (or its one block), as `eth_getLogs` answers them.
    func logs(_ filter: LogFilter) throws -> JSON {
        var headers = [BlockHeader]()
        if let hash = filter.blockHash {
            guard let h = try chain.header(hash: hash) else { throw RPCError.server("unknown block") }
            headers = [h]
        } else {
            let from = try header(filter.fromBlock, "fromBlock")?.number ?? chain.head.number
            let to = try header(filter.toBlock, "toBlock")?.number ?? chain.head.number
            guard from <= to else { return [] }
            guard to - from < maxLogRange else { throw RPCError.server("block range of \(to - from + 1) exceeds the limit of \(maxLogRange)") }
            for n in from...to { if let h = try chain.header(number: n) { headers.append(h) } }
        }
        var out = [JSON]()
        for h in headers {
            // The header bloom rules out most blocks without reading receipts.
            guard filter.mayMatch(h.logsBloom), let block = try chain.block(hash: h.hash), let receipts = try chain.receipts(blockHash: h.hash) else {
                continue
            }
            out += filter.logs(in: block, receipts: receipts).map { $0.json(using: self) }
        }
        return .array(out)
    }

    // MARK: Proofs

    func proof(_ p: RPCParams) throws -> JSON {
        try p.expect(min: 2, max: 3)
        let address = try p.address(0)
        guard let keys = p.value(1)?.array else { throw RPCError.invalidParams("storageKeys must be a list") }
        guard keys.count <= Self.maxProofKeys else {
            throw RPCError.invalidParams("storageKeys has \(keys.count) entries; the limit is \(Self.maxProofKeys)")
        }
        let slots = try keys.map { H256(word: try RPCParams.quantity($0, "storage key")) }
        guard let h = try header(p.value(2), "block") else { throw RPCError.server("header not found") }
        let store = chain.state(at: h).store
        let accounts = SecureMerklePatriciaTrie(root: h.stateRoot, store: store)
        let account = try accounts.get(address.bytes).map(Account.init(encoded:)) ?? .empty
        let storage = SecureMerklePatriciaTrie(root: account.storageRoot, store: store)
        return [
            "address": .string(address.checksummed), "balance": RPCFormat.q(account.balance), "nonce": RPCFormat.q(account.nonce),
            "codeHash": .string(account.codeHash.description), "storageHash": .string(account.storageRoot.description),
            "accountProof": .array(try accounts.proof(address.bytes).map(RPCFormat.data)),
            "storageProof": .array(try slots.map { slot -> JSON in
                let value = try storage.get(slot.bytes).map { try RLP.decode($0).uint256Value() } ?? .zero
                return ["key": RPCFormat.q(UInt256(bigEndian: slot.bytes) ?? .zero), "value": RPCFormat.q(value),
                        "proof": .array(try storage.proof(slot.bytes).map(RPCFormat.data))]
            }),
        ]
    }
}
