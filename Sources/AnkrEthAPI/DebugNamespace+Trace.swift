import AnkrChain
import AnkrEVM
import AnkrPrimitives
import AnkrRPC

extension DebugNamespace {
    /// `debug_traceTransaction`, `debug_traceCall`, `debug_traceBlockByNumber` and `debug_traceBlockByHash`.
    func registerTracing(in table: RPCMethodTable) {
        table.register("debug_traceTransaction", heavy: true) { p in
            try p.expect(min: 1, max: 2)
            let hash = try p.hash(0, "transaction hash")
            let config = try traceConfig(p.value(1))
            guard let (_, location) = try chain.transaction(hash: hash) else { throw RPCError.server("transaction \(hash) not found") }
            guard let header = try chain.header(hash: location.blockHash) else { throw RPCError.server("block \(location.blockHash) not found") }
            let traces = try trace(requireBlock(header), only: location.index, config: config)
            guard let only = traces.last else { throw RPCError.server("transaction \(hash) not found in block \(header.hash)") }
            return only.result
        }
        table.register("debug_traceBlockByNumber", heavy: true) { p in
            try p.expect(min: 1, max: 2)
            let config = try traceConfig(p.value(1))
            return blockTraces(try trace(requireBlock(requireHeader(p.value(0), "block")), only: nil, config: config))
        }
        table.register("debug_traceBlockByHash", heavy: true) { p in
            try p.expect(min: 1, max: 2)
            let hash = try p.hash(0, "block hash")
            let config = try traceConfig(p.value(1))
            guard let header = try chain.header(hash: hash) else { throw RPCError.server("block \(hash) not found") }
            return blockTraces(try trace(requireBlock(header), only: nil, config: config))
        }
        table.register("debug_traceCall", heavy: true) { p in
            try p.expect(min: 1, max: 3)
            let request = try EthNamespace.CallRequest(try p.object(0, "transaction"))
            let header = try requireHeader(p.value(1), "block")
            let config = try traceConfig(p.value(2), callOptions: true)
            return try traceCall(request, at: header, config: config)
        }
    }

    func traceConfig(_ json: JSON?, callOptions: Bool = false) throws -> DebugTraceConfig {
        do { return try DebugTraceConfig(json, callOptions: callOptions) } catch { throw RPCError.invalidParams(error.description) }
    }

    /// geth's block answer: `[{txHash, result}]` in block order.
    func blockTraces(_ traces: [(hash: H256, result: JSON)]) -> JSON {
        .array(traces.map { ["txHash": .string($0.hash.description), "result": $0.result] })
    }

    /// The time a trace may take: the caller's `timeout`, never more than the node's EVM time limit
    /// (which applies when the caller gives none); nil when neither limits it.
    func traceLimit(_ config: DebugTraceConfig) -> Duration? {
        switch (config.timeout, limits.evmTimeout) {
        case let (asked?, node?): return min(asked, node)
        case let (asked, node): return asked ?? node
        }
    }

    /// Runs `body` with the trace's deadline; running past it answers geth's timeout error.
    func timed<T>(_ config: DebugTraceConfig, _ body: (ContinuousClock.Instant?) throws -> T) throws -> T {
        guard let limit = traceLimit(config) else { return try body(nil) }
        do {
            return try body(ContinuousClock.now.advanced(by: limit))
        } catch is ExecutionTimeout {
            throw RPCError.timeout(limit)
        }
    }

    /// Re-executes `block` on its parent's state and traces every transaction, or only the one at
    /// index `only` (after replaying those before it untraced).
    func trace(_ block: Block, only: Int?, config: DebugTraceConfig) throws -> [(hash: H256, result: JSON)] {
        guard block.number > 0 else { throw RPCError.server("genesis is not traceable") }
        guard let parent = try chain.header(hash: block.header.parentHash) else {
            throw RPCError.server("parent \(block.header.parentHash) of block \(block.number) not found")
        }
        let count = only.map { $0 + 1 } ?? block.transactions.count
        var traces = [(hash: H256, result: JSON)]()
        var current: DebugTracer?
        var budget = DebugTraceBudget(limit: maxTraceBytes)
        do {
            try timed(config) { deadline in
                try chain.executor.replay(block, count: count, state: chain.state(at: parent), ancestorHashes: chain.ancestorHashes(childOf: parent),
                                          deadline: deadline, tracer: { i in
                                              current = only == nil || only == i ? DebugTracer(config, maxResultBytes: budget.remaining) : nil
                                              return current?.evmTracer
                                          }, visit: { _, tx, outcome in
                                              guard let tracer = current else { return }
                                              let result = try tracer.result(gasLimit: tx.gasLimit, gasUsed: outcome.gasUsed, failed: !outcome.succeeded,
                                                                             output: outcome.output)
                                              try budget.spend(result)
                                              traces.append((tx.hash, result))
                                          })
            }
        } catch let e as BlockValidationError {
            throw RPCError.server("cannot replay block \(block.number): \(e)")
        } catch let e as ChainError {
            throw RPCError.server("cannot replay block \(block.number): \(e)")
        }
        return traces
    }

    /// `debug_traceCall`: the call run as `eth_call` runs it (same block context, gas and state), traced.
    func traceCall(_ request: EthNamespace.CallRequest, at header: BlockHeader, config: DebugTraceConfig) throws -> JSON {
        let gas = min(request.gas ?? header.gasLimit, header.gasLimit)
        let tracer = DebugTracer(config, maxResultBytes: maxTraceBytes)
        let result = try timed(config) { deadline in
            try run(request, gas: gas, at: header, deadline: deadline, tracer: tracer.evmTracer)
        }
        return try tracer.result(gasLimit: gas, gasUsed: result.gasUsed, failed: !result.succeeded, output: result.output)
    }

    /// Runs `request` with `gas` in the block after `header`, on a throwaway copy of its state, as
    /// `eth_call` does; refusals to start are -32000 errors, ``ExecutionTimeout`` passes through.
    func run(_ request: EthNamespace.CallRequest, gas: UInt64, at header: BlockHeader, accessList: [AccessListEntry]? = nil,
             deadline: ContinuousClock.Instant?, tracer: any EVMTracer) throws -> CallResult {
        do {
            return try StateTransition.call(from: request.from, to: request.to, value: request.value, input: request.input, gas: gas,
                                            accessList: accessList ?? request.accessList, context: eth.callContext(at: header),
                                            state: chain.state(at: header), systemContracts: chain.executor.systemContracts,
                                            deadline: deadline, tracer: tracer)
        } catch let e as TransactionError {
            throw RPCError.server("\(e)")
        } catch let e as ChainError {
            throw RPCError.server("\(e)")
        }
    }
}
