import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small blocking JSON-RPC client for the CLI (`ankr send`, `ankr balance`).
public struct RPCClient: Sendable {
    public let url: URL
    public let timeout: TimeInterval

    public init(url: URL, timeout: TimeInterval = 30) {
        self.url = url
        self.timeout = timeout
    }

    /// Why a call failed: transport, HTTP status, malformed reply, or the node's JSON-RPC error.
    public enum Failure: Error, CustomStringConvertible {
        case transport(String)
        case malformedReply(String)
        case rpc(RPCError)

        public var description: String {
            switch self {
            case .transport(let why): return "cannot reach the node: \(why)"
            case .malformedReply(let why): return "the node sent a malformed reply: \(why)"
            case .rpc(let e): return e.message
            }
        }
    }

    public func call(_ method: String, _ params: [Any]) throws -> Any {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 1, "method": method, "params": params])
        let box = ReplyBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, error in
            box.set(data, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, error) = box.get()
        if let error { throw Failure.transport(error.localizedDescription) }
        guard let data, let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure.malformedReply("not a JSON object")
        }
        if let e = obj["error"] as? [String: Any] {
            throw Failure.rpc(RPCError(code: (e["code"] as? Int) ?? 0, message: (e["message"] as? String) ?? "unknown error", data: e["data"] as? String))
        }
        guard let result = obj["result"] else { throw Failure.malformedReply("no result") }
        return result
    }

    public func string(_ method: String, _ params: [Any]) throws -> String {
        guard let s = try call(method, params) as? String else { throw Failure.malformedReply("\(method) did not return a string") }
        return s
    }

    private final class ReplyBox: @unchecked Sendable {
        private var data: Data?
        private var error: Error?
        private let lock = NSLock()
        func set(_ d: Data?, _ e: Error?) { lock.withLock { data = d; error = e } }
        func get() -> (Data?, Error?) { lock.withLock { (data, error) } }
    }
}
