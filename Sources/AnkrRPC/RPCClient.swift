import AnkrPrimitives
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small blocking JSON-RPC client for the CLI, wallets, the watcher and the relay.
///
/// A reply larger than `maxReplyBytes` is cut off and refused: the node or operator at the other end
/// may be hostile, and no answer we ask for (a 65,536-transaction child block is ~30 MB of JSON) is
/// near the default 128 MiB.
public struct RPCClient: Sendable {
    public let url: URL
    public let timeout: TimeInterval
    public let maxReplyBytes: Int

    public static let defaultMaxReplyBytes = 128 << 20

    public init(url: URL, timeout: TimeInterval = 30, maxReplyBytes: Int = RPCClient.defaultMaxReplyBytes) {
        self.url = url
        self.timeout = timeout
        self.maxReplyBytes = maxReplyBytes
    }

    /// Sends one call and returns its `result` member (`.null` when the node answers null).
    /// Throws ``RPCClientError``: the node's error as `.rpc`, anything but a JSON-RPC reply as `.malformedReply`.
    public func call(_ method: String, _ params: [JSON]) throws -> JSON {
        let request: JSON = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": .array(params)]
        let (_, data) = try exchange("POST", url: url, body: Data(request.serialized()))
        guard let reply = try? JSON(parsing: data), let obj = reply.object else {
            throw RPCClientError.malformedReply("not a JSON object")
        }
        if let e = obj["error"], e != .null {
            throw RPCClientError.rpc(RPCError(code: e["code"]?.int.map { Int(clamping: $0) } ?? 0, message: e["message"]?.string ?? "unknown error",
                                              data: e["data"]?.string))
        }
        guard let result = obj["result"] else { throw RPCClientError.malformedReply("no result") }
        return result
    }

    /// One HTTP request to `path` on the node's server (its REST services, e.g. `/v1/assets/7`) with
    /// the same reply limit: the status and the body.
    public func rest(_ method: String, path: String, body: Data? = nil) throws -> (status: Int, body: Data) {
        guard let target = URL(string: path, relativeTo: url)?.absoluteURL else { throw RPCClientError.transport("bad path \(path)") }
        return try exchange(method, url: target, body: body)
    }

    private func exchange(_ method: String, url: URL, body: Data?) throws -> (status: Int, body: Data) {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let collector = ReplyCollector(limit: maxReplyBytes)
        // The request's own interval restarts with every byte, so a node trickling one byte at a time
        // would hold us forever: the whole exchange gets `timeout`, enforced here.
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        let task = session.dataTask(with: request)
        task.resume()
        guard collector.done.wait(timeout: .now() + timeout) == .success else {
            task.cancel()
            session.invalidateAndCancel()
            throw RPCClientError.transport("no complete reply within \(timeout) s")
        }
        session.finishTasksAndInvalidate()
        let (data, error, tooLarge, status) = collector.result()
        if tooLarge { throw RPCClientError.replyTooLarge(limit: maxReplyBytes) }
        if let error {
            // A connection that was never made, or that closed before any reply (a node going down mid-request),
            // says so; anything else (a timeout mid-reply, a reply cut short) as before.
            if let reason = Self.connectionFailure(error) ?? Self.closedWithoutReply(error, status: status, data: data) {
                throw RPCClientError.unreachable(url: Self.origin(of: url), reason: reason)
            }
            throw RPCClientError.transport(error.localizedDescription)
        }
        return (status, data ?? Data())
    }

    /// `scheme://host[:port]` of `url`: what a message may show of a node's address. A provider URL often carries an
    /// API key in its path or a user and password, which must not reach a terminal or a log.
    public static func origin(of url: URL) -> String {
        guard let scheme = url.scheme, let host = url.host else { return "the node's URL" }
        return scheme + "://" + (host.contains(":") ? "[\(host)]" : host) + (url.port.map { ":\($0)" } ?? "")
    }

    /// What a connection attempt that failed met, in the socket's words rather than Foundation's "The
    /// operation could not be completed"; nil for an error that is not a failed connection.
    public static func connectionFailure(_ error: any Error) -> String? {
        // Read as NSError: URLSession's errors on Linux do not always cast to URLError.
        let error = error as NSError
        guard error.domain == NSURLErrorDomain else { return nil }
        switch error.code {
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "unknown host"
        case NSURLErrorNotConnectedToInternet: return "no network"
        default: return nil
        }
    }

    /// "connection closed before a reply" when the connection was made but ended before a byte of an
    /// HTTP reply (curl's "Empty reply from server", or a reset): the node went down, perhaps after
    /// carrying the request out; nil otherwise.
    static func closedWithoutReply(_ error: any Error, status: Int, data: Data?) -> String? {
        let error = error as NSError
        guard error.domain == NSURLErrorDomain, status == 0, data?.isEmpty ?? true else { return nil }
        switch error.code {
        case NSURLErrorNetworkConnectionLost, NSURLErrorBadServerResponse: return "connection closed before a reply"
        default: return nil
        }
    }

    /// A call whose result must be a string.
    public func string(_ method: String, _ params: [JSON]) throws -> String {
        try call(method, params).text(method)
    }

    /// Collects a reply up to a size limit, cancelling the transfer as soon as it is exceeded (or
    /// announced to be).
    private final class ReplyCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let limit: Int
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var data = Data()
        private var error: Error?
        private var tooLarge = false
        private var status = 0

        init(limit: Int) { self.limit = limit }

        func result() -> (Data?, Error?, Bool, Int) { lock.withLock { (data, error, tooLarge, status) } }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            lock.withLock { status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
            if response.expectedContentLength > Int64(limit) {
                lock.withLock { tooLarge = true }
                completionHandler(.cancel)
            } else {
                completionHandler(.allow)
            }
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
            let over = lock.withLock { () -> Bool in
                guard !tooLarge else { return true }
                if data.count + chunk.count > limit { tooLarge = true; data = Data(); return true }
                data.append(chunk)
                return false
            }
            if over { dataTask.cancel() }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            lock.withLock { self.error = error }
            done.signal()
        }
    }
}
