/// A JSON-RPC error object.
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int
    public let message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public static func parse(_ why: String) -> RPCError { RPCError(code: -32700, message: "parse error: \(why)") }
    public static func invalidRequest(_ why: String) -> RPCError { RPCError(code: -32600, message: "invalid request: \(why)") }
    public static func methodNotFound(_ name: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(name) does not exist/is not available")
    }
    public static func invalidParams(_ why: String) -> RPCError { RPCError(code: -32602, message: "invalid params: \(why)") }
    public static func internalError(_ why: String) -> RPCError { RPCError(code: -32603, message: "internal error: \(why)") }
    /// Rejections of well-formed requests (a refused transaction, an unsupported call), as geth reports them.
    public static func server(_ message: String) -> RPCError { RPCError(code: -32000, message: message) }

    public var description: String { "\(message) (code \(code))" }

    var json: [String: Any] { ["code": code, "message": message] }
}
