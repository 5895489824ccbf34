import AnkrPrimitives

/// A JSON-RPC error object.
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int
    public let message: String
    /// Extra data: a revert's return data, hex (geth's `data` member).
    public let data: String?

    public init(code: Int, message: String, data: String? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// A call that reverted: code 3, the decoded `Error(string)` reason in the message and the raw
    /// return data in `data`, as geth answers and web3.py / ethers decode it.
    public static func reverted(_ output: [UInt8]) -> RPCError {
        let message = ABI.revertReason(output).map { "execution reverted: \($0)" } ?? "execution reverted"
        return RPCError(code: 3, message: message, data: output.hexPrefixed)
    }

    public static func parse(_ why: String) -> RPCError { RPCError(code: -32700, message: "parse error: \(why)") }
    public static func invalidRequest(_ why: String) -> RPCError { RPCError(code: -32600, message: "invalid request: \(why)") }
    public static func methodNotFound(_ name: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(name) does not exist/is not available")
    }
    /// A registered method whose namespace this node does not serve (geth's answer, plus how to enable it).
    public static func methodNotEnabled(_ name: String, api: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(name) does not exist/is not available: the \(api) API is not enabled (--http.api)")
    }
    /// Every place for expensive calls is taken (EIP-1474's "limit exceeded").
    public static func busy(_ capacity: Int) -> RPCError {
        RPCError(code: -32005, message: "server busy: \(capacity) expensive calls (eth_call, eth_estimateGas, eth_getLogs, …) are already running; retry later")
    }
    /// An EVM run stopped by the node's wall-clock limit, in geth's words.
    public static func timeout(_ limit: Duration) -> RPCError {
        RPCError(code: -32000, message: "execution aborted (timeout = \(RPCLimits.describe(limit)))")
    }
    /// A legacy transaction signed without a chain id, refused as geth refuses it.
    public static let unprotectedTransaction = RPCError(code: -32000, message: "only replay-protected (EIP-155) transactions allowed over RPC")
    public static func invalidParams(_ why: String) -> RPCError { RPCError(code: -32602, message: "invalid params: \(why)") }
    public static func internalError(_ why: String) -> RPCError { RPCError(code: -32603, message: "internal error: \(why)") }
    /// Rejections of well-formed requests (a refused transaction, an unsupported call), as geth reports them.
    public static func server(_ message: String) -> RPCError { RPCError(code: -32000, message: message) }

    public var description: String { "\(message) (code \(code))" }

    /// The error object of a response: `code`, `message` and, when present, `data`.
    public var json: JSON {
        var o: [String: JSON] = ["code": .int(clamping: code), "message": .string(message)]
        if let data { o["data"] = .string(data) }
        return .object(o)
    }
}
