/// Why an ``RPCClient`` call failed: the node could not be reached, its reply was not JSON-RPC or too
/// large, it answered an error, or its result had another shape than the caller reads.
public enum RPCClientError: Error, CustomStringConvertible, Equatable {
    /// The request did not complete after connecting, or could not start (a timeout, a bad URL, a failed WebSocket handshake).
    case transport(String)
    /// `url` did not answer at all: no connection could be made, or it closed before a byte of a reply.
    /// `reason` says what the attempt met ("connection refused", "unknown host", "no network",
    /// "connection closed before a reply"). A request whose connection closed may have been carried out.
    case unreachable(url: String, reason: String)
    /// The reply is not a JSON-RPC response object.
    case malformedReply(String)
    /// The reply is longer than the client's limit; the transfer was cut off.
    case replyTooLarge(limit: Int)
    /// The node answered with a JSON-RPC error.
    case rpc(RPCError)
    /// The result, or the member of it at `path`, is not what the method returns.
    case unexpected(path: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .transport(let why): return "cannot reach the node: \(why)"
        case .unreachable(let url, let reason): return "cannot reach the node at \(url) (\(reason))"
        case .malformedReply(let why): return "the node sent a malformed reply: \(why)"
        case .replyTooLarge(let limit): return "the node sent a malformed reply: the reply exceeds \(limit) bytes"
        case .rpc(let e): return e.message
        case .unexpected(let path, let expected, let found): return "the node sent a malformed reply: \(path) is \(found), expected \(expected)"
        }
    }
}
