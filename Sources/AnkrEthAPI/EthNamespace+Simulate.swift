import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// `eth_simulateV1`: runs calls in a sequence of made-up blocks on top of a real one, each block
/// optionally with overridden fields and accounts, and answers each block with its calls' results.
/// Nothing is stored. As in geth: without `validation` the base fee is 0 (unless overridden) and the
/// sender's nonce is taken as it is; with it, nonces, fee caps and balances are checked as in a block.
extension EthNamespace {
    /// geth's limit of 256 blocks (gaps between overridden numbers count); plus at most 1000 calls (and
    /// 1000 overridden accounts per block), so one request's work stays small. The gas of all calls
    /// together is bounded by ``simulationGasBudget``.
    public static let maxSimulatedBlocks = 256
    public static let maxSimulatedCalls = 1000
    /// geth's spacing of simulated blocks whose time is not given.
    static let simulatedBlockInterval: UInt64 = 12

    func registerSimulation(in table: RPCMethodTable) {
        table.register("eth_simulateV1", heavy: true) { p in try simulate(p) }
    }

    /// The options of one `eth_simulateV1` request.
    struct SimulationOptions {
        var validation = false
        var traceTransfers = false
        var returnFullTransactions = false
    }

    func simulate(_ p: RPCParams) throws -> JSON {
        try p.expect(min: 1, max: 2)
        let payload = try p.object(0, "payload")
        guard let entries = payload["blockStateCalls"]?.array else { throw RPCError.invalidParams("blockStateCalls must be a list") }
        guard entries.count <= Self.maxSimulatedBlocks else {
            throw RPCError(code: -38026, message: "too many blocks: \(entries.count) > \(Self.maxSimulatedBlocks)")
        }
        var options = SimulationOptions()
        func flag(_ name: String) throws -> Bool {
            switch payload[name] {
            case nil, .null?: return false
            case .bool(let b)?: return b
            default: throw RPCError.invalidParams("\(name) must be a boolean")
            }
        }
        options.validation = try flag("validation")
        options.traceTransfers = try flag("traceTransfers")
        options.returnFullTransactions = try flag("returnFullTransactions")
        let requests = try entries.map(SimulateBlockRequest.init)
        guard requests.reduce(0, { $0 + $1.calls.count }) <= Self.maxSimulatedCalls else {
            throw RPCError(code: -38026, message: "too many calls: the limit is \(Self.maxSimulatedCalls)")
        }
        let base: BlockHeader
        if p.has(1) {
            guard let h = try blockHeader(p.value(1)) else { throw RPCError.server("header not found") }
            base = h
        } else {
            base = chain.head
        }
        // The spec's own timeout code (-32016), where eth_call answers geth's -32000.
        let deadline = limits.evmTimeout.map { ContinuousClock.now.advanced(by: $0) }
        do {
            return try runSimulation(requests, on: base, options: options, deadline: deadline)
        } catch is ExecutionTimeout {
            throw RPCError(code: -32016, message: "execution aborted (timeout = \(limits.evmTimeout.map(RPCLimits.describe) ?? "none"))")
        }
    }

    /// The blocks of a simulation, gaps between overridden numbers filled with empty blocks as geth does.
    func simulatedBlocks(_ requests: [SimulateBlockRequest], after base: BlockHeader) throws -> [SimulateBlockRequest?] {
        var out = [SimulateBlockRequest?]()
        var number = base.number, time = base.timestamp
        for request in requests {
            let (next, o1) = number.addingReportingOverflow(1)
            guard !o1 else { throw RPCError(code: -38020, message: "block number overflows 64 bits") }
            let wanted = request.overrides.number ?? next
            guard wanted > number else {
                throw RPCError(code: -38020, message: "block numbers must be in order: \(wanted) <= \(number)")
            }
            guard wanted - number <= UInt64(Self.maxSimulatedBlocks - out.count) else {
                throw RPCError(code: -38026, message: "too many blocks: more than \(Self.maxSimulatedBlocks) with the gaps filled")
            }
            while number + 1 < wanted {
                out.append(nil)
                number += 1
                time = time > .max - Self.simulatedBlockInterval ? .max : time + Self.simulatedBlockInterval
            }
            let nextTime = time > .max - Self.simulatedBlockInterval ? .max : time + Self.simulatedBlockInterval
            let wantedTime = request.overrides.time ?? nextTime
            guard wantedTime >= time else {
                throw RPCError(code: -38021, message: "block timestamps must not decrease: \(wantedTime) < \(time)")
            }
            out.append(request)
            number = wanted
            time = wantedTime
        }
        return out
    }

    func runSimulation(_ requests: [SimulateBlockRequest], on base: BlockHeader, options: SimulationOptions,
                       deadline: ContinuousClock.Instant?) throws -> JSON {
        let blocks = try simulatedBlocks(requests, after: base)
        let state = chain.state(at: base)
        var hashes = chain.ancestorHashes(childOf: base)
        var parent = base
        var budget = simulationGasBudget
        var out = [JSON]()
        for request in blocks {
            let r = try request ?? SimulateBlockRequest(.object([:]))
            var header = BlockHeader(parentHash: parent.hash, coinbase: r.overrides.feeRecipient ?? base.coinbase, stateRoot: .zero,
                                     transactionsRoot: .zero, receiptsRoot: .zero, logsBloom: .empty, difficulty: .zero,
                                     number: r.overrides.number ?? parent.number + 1, gasLimit: r.overrides.gasLimit ?? base.gasLimit, gasUsed: 0,
                                     timestamp: r.overrides.time ?? (parent.timestamp > .max - Self.simulatedBlockInterval ? .max
                                                                     : parent.timestamp + Self.simulatedBlockInterval),
                                     extraData: [], baseFeePerGas: r.overrides.baseFeePerGas ?? (options.validation ? BaseFee.next(after: parent) : .zero),
                                     childChainsRoot: parent.childChainsRoot)
            for (address, override) in r.stateOverrides { try override.apply(to: state, at: address) }
            let context = BlockContext(chainID: chain.chainID, coinbase: header.coinbase, number: header.number, timestamp: header.timestamp,
                                       gasLimit: header.gasLimit, baseFee: header.baseFeePerGas, prevRandao: r.overrides.prevRandao ?? parent.hash,
                                       blockHashes: hashes)
            var transactions = [(Transaction, Address)](), receipts = [Receipt](), calls = [(JSON, [Log])]()
            var used: UInt64 = 0
            for call in r.calls {
                let tx = try simulatedTransaction(call, state: state, header: header, used: used, budget: budget, validation: options.validation)
                let outcome: TransactionOutcome
                let transfers = options.traceTransfers ? SimulateTransferTracer() : nil
                do {
                    outcome = try StateTransition.apply(tx, sender: call.request.from, context: context, gasAvailable: header.gasLimit - used,
                                                        state: state, systemContracts: chain.executor.systemContracts, deadline: deadline,
                                                        tracer: transfers)
                } catch let e as ChainError {
                    throw Self.simulationError(e)
                } catch let e as TransactionError {
                    throw Self.simulationError(e)
                }
                used += outcome.gasUsed
                budget -= min(budget, outcome.gasUsed)
                transactions.append((tx, call.request.from))
                receipts.append(Receipt(type: tx.type, succeeded: outcome.succeeded, cumulativeGasUsed: used, logs: outcome.logs))
                calls.append((Self.callResultJSON(outcome), transfers?.logs ?? outcome.logs))
            }
            header.gasUsed = used
            header.transactionsRoot = Block.transactionsRoot(transactions.map(\.0))
            header.receiptsRoot = OrderedTrie.root(receipts.map(\.encoded))
            var bloom = Bloom()
            for receipt in receipts { bloom.formUnion(receipt.bloom) }
            header.logsBloom = bloom
            header.stateRoot = try state.intermediateRoot()
            out.append(simulatedBlockJSON(header, transactions: transactions, calls: calls, prevRandao: r.overrides.prevRandao ?? parent.hash,
                                          full: options.returnFullTransactions))
            hashes[header.number] = header.hash
            // BLOCKHASH reaches back 256 blocks; older entries are never read.
            if header.number >= 256 { hashes[header.number - 256] = nil }
            parent = header
        }
        return .array(out)
    }

    /// The transaction a call stands for: its nonce is the account's (validation off, or none given),
    /// its gas the block's remaining gas within the request's budget, its fee fields as given (0 by default).
    func simulatedTransaction(_ call: SimulateBlockRequest.Call, state: WorldState, header: BlockHeader, used: UInt64, budget: UInt64,
                              validation: Bool) throws -> Transaction {
        let r = call.request
        let accountNonce = try state.nonce(r.from)
        let nonce = validation ? call.nonce ?? accountNonce : accountNonce
        // A gas limit above the block's remaining gas is refused by the run (-38015); the budget clamps silently, as geth's gas cap.
        let gas = min(r.gas ?? (header.gasLimit - used), budget)
        if let gasPrice = call.gasPrice {
            guard call.maxFeePerGas == nil, call.maxPriorityFeePerGas == nil else {
                throw RPCError.invalidParams("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified")
            }
            return r.accessList.isEmpty
                ? .legacy(chainID: chain.chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gas, to: r.to, value: r.value, data: r.input)
                : .accessList(chainID: chain.chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gas, to: r.to, value: r.value, data: r.input,
                              accessList: r.accessList)
        }
        let maxFee = call.maxFeePerGas ?? .zero, tip = call.maxPriorityFeePerGas ?? .zero
        guard tip <= maxFee else { throw RPCError(code: -32602, message: "maxPriorityFeePerGas (\(tip)) above maxFeePerGas (\(maxFee))") }
        return .dynamicFee(chainID: chain.chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee, gasLimit: gas, to: r.to,
                           value: r.value, data: r.input, accessList: r.accessList)
    }

    /// The spec's error codes for a call that cannot be included.
    static func simulationError(_ e: ChainError) -> RPCError {
        switch e {
        case .nonceMismatch(let expected, let actual): return RPCError(code: actual < expected ? -38010 : -38011, message: "\(e)")
        case .feeCapBelowBaseFee: return RPCError(code: -38012, message: "\(e)")
        case .insufficientFunds: return RPCError(code: -38014, message: "\(e)")
        case .blockGasLimitReached: return RPCError(code: -38015, message: "\(e)")
        case .senderHasCode: return RPCError(code: -38024, message: "\(e)")
        default: return RPCError.server("\(e)")
        }
    }

    static func simulationError(_ e: TransactionError) -> RPCError {
        switch e {
        case .intrinsicGasTooLow: return RPCError(code: -38013, message: "\(e)")
        case .initcodeTooLarge: return RPCError(code: -38025, message: "\(e)")
        default: return RPCError.server("\(e)")
        }
    }

    /// A call's result without its logs (added once the block's hash is known).
    static func callResultJSON(_ outcome: TransactionOutcome) -> JSON {
        var o: [String: JSON] = ["status": outcome.succeeded ? "0x1" : "0x0", "returnData": RPCFormat.data(outcome.output),
                                 "gasUsed": RPCFormat.q(outcome.gasUsed)]
        if !outcome.succeeded {
            o["error"] = outcome.reverted
                ? ["code": 3, "message": "execution reverted", "data": RPCFormat.data(outcome.output)]
                : ["code": -32015, "message": "vm execution error"]
        }
        return .object(o)
    }

    /// A simulated block as eth_getBlockByNumber shows one, with its `calls`.
    func simulatedBlockJSON(_ h: BlockHeader, transactions: [(Transaction, Address)], calls: [(JSON, [Log])], prevRandao: H256,
                            full: Bool) -> JSON {
        var logIndex = 0
        let callsJSON: [JSON] = calls.enumerated().map { i, call in
            guard var o = call.0.object else { return call.0 }
            o["logs"] = .array(call.1.map { log in
                defer { logIndex += 1 }
                return logJSON(log, header: h, txHash: transactions[i].0.hash, txIndex: i, logIndex: logIndex)
            })
            return .object(o)
        }
        let txs: [JSON] = transactions.enumerated().map { i, entry in
            guard full else { return .string(entry.0.hash.description) }
            let json = try? transactionJSON(entry.0, location: .init(blockHash: h.hash, blockNumber: h.number, index: i), baseFee: h.baseFeePerGas,
                                            blockTimestamp: h.timestamp)
            // Unsigned: the sender is the call's `from`, not one recovered from a signature.
            guard var o = json?.object else { return .null }
            o["from"] = .string(entry.1.checksummed)
            return .object(o)
        }
        return [
            "number": RPCFormat.q(h.number), "hash": .string(h.hash.description), "parentHash": .string(h.parentHash.description),
            "nonce": "0x0000000000000000", "mixHash": .string(prevRandao.description), "sha3Uncles": .string(h.ommersHash.description),
            "logsBloom": RPCFormat.data(h.logsBloom.bytes), "transactionsRoot": .string(h.transactionsRoot.description),
            "stateRoot": .string(h.stateRoot.description), "receiptsRoot": .string(h.receiptsRoot.description),
            "miner": .string(h.coinbase.checksummed), "difficulty": RPCFormat.q(h.difficulty), "extraData": RPCFormat.data(h.extraData),
            "size": RPCFormat.q(Block(header: h, transactions: transactions.map(\.0)).encoded.count), "gasLimit": RPCFormat.q(h.gasLimit),
            "gasUsed": RPCFormat.q(h.gasUsed), "timestamp": RPCFormat.q(h.timestamp), "transactions": .array(txs), "uncles": [],
            "baseFeePerGas": RPCFormat.q(h.baseFeePerGas), "calls": .array(callsJSON),
        ]
    }
}
