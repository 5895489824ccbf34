import AnkrChain
import AnkrEVM
import AnkrPrimitives
import AnkrRPC

/// The `debug_` methods over the chain, as geth serves them: raw RLP of headers, blocks, receipts and
/// transactions, the (always empty) bad-block list, and transaction tracing — `debug_traceTransaction`,
/// `debug_traceCall`, `debug_traceBlockByNumber` and `debug_traceBlockByHash` with geth's opcode logger or
/// `callTracer` — plus `eth_createAccessList`, which runs the access-list tracer.
///
/// Every method is heavy (it passes the table's gate). Tracing re-executes a block's transactions on its
/// parent's state up to the one traced, within one deadline: the caller's `timeout`, never longer than the
/// node's EVM time limit. The namespace is `debug` (served when enabled, see ``RPCLimits/apis``);
/// `eth_createAccessList` belongs to `eth`.
public struct DebugNamespace: Sendable {
    public let backend: RPCBackend
    /// The EVM time limit and the namespaces served.
    public let limits: RPCLimits

    /// Most bytes of trace JSON one call may build: a transaction's opcode log, or all of a block's traces together.
    public let maxTraceBytes: Int

    /// 64 MiB, the opcode logger's own default: far above a block-sized contract call with memory off.
    public static let defaultMaxTraceBytes = StructLoggerConfig.defaultMaxResultBytes

    public init(backend: RPCBackend, limits: RPCLimits = RPCLimits(), maxTraceBytes: Int = DebugNamespace.defaultMaxTraceBytes) {
        self.backend = backend
        self.limits = limits
        self.maxTraceBytes = maxTraceBytes
    }

    var chain: Blockchain { backend.chain }
    /// Block tags, call requests and call contexts are read as `eth_call` reads them.
    var eth: EthNamespace { EthNamespace(backend: backend, limits: limits) }

    public func register(in table: RPCMethodTable) {
        registerGetters(in: table)
        registerTracing(in: table)
        registerAccessList(in: table)
    }

    /// A block by tag or number, or geth's "not found" error.
    func requireHeader(_ tag: JSON?, _ name: String) throws -> BlockHeader {
        guard let header = try eth.header(tag, name) else { throw RPCError.server("\(name) \(Self.describe(tag)) not found") }
        return header
    }

    func requireBlock(_ header: BlockHeader) throws -> Block {
        guard let block = try chain.block(hash: header.hash) else { throw RPCError.server("block \(header.hash) body not found") }
        return block
    }

    /// A block parameter as an error message shows it, cut short (it may come from anyone).
    static func describe(_ tag: JSON?) -> String {
        let text: String
        switch tag {
        case .string(let s)?: text = s
        case nil, .null?: text = "latest"
        case let v?: text = String(decoding: v.serialized(), as: UTF8.self)
        }
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}
