import Foundation

/// Method name → handler, and the JSON-RPC 2.0 envelope: single calls, batches, notifications, errors.
public final class RPCMethodTable: @unchecked Sendable {
    public typealias Handler = (RPCParams) throws -> Any

    /// At most this many calls in one batch.
    public let maxBatch: Int
    private var handlers: [String: Handler] = [:]

    /// Told the duration of each known method's calls (set before serving).
    public var observer: RPCObserver?

    public init(maxBatch: Int = 100) { self.maxBatch = maxBatch }

    /// Registers `name`; call before serving (the table is read-only afterwards).
    public func register(_ name: String, _ handler: @escaping Handler) { handlers[name] = handler }

    public var methods: [String] { handlers.keys.sorted() }

    /// Handles one HTTP body; returns the response body, or nil when there is nothing to send
    /// (only notifications).
    public func handle(body: Data) -> Data? {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body, options: [])
        } catch {
            return encode(errorResponse(id: NSNull(), .parse("the body is not valid JSON")))
        }
        if let batch = parsed as? [Any] {
            guard !batch.isEmpty else { return encode(errorResponse(id: NSNull(), .invalidRequest("empty batch"))) }
            guard batch.count <= maxBatch else {
                return encode(errorResponse(id: NSNull(), .invalidRequest("batch of \(batch.count) calls exceeds the limit of \(maxBatch)")))
            }
            let responses = batch.compactMap(call)
            return responses.isEmpty ? nil : encode(responses)
        }
        guard let response = call(parsed) else { return nil }
        return encode(response)
    }

    private func call(_ request: Any) -> [String: Any]? {
        guard let obj = request as? [String: Any] else { return errorResponse(id: NSNull(), .invalidRequest("a call must be an object")) }
        let id = obj["id"]
        // An id must be a string, number or null; a missing id makes a notification.
        if let id, !(id is String || id is NSNumber || id is NSNull) {
            return errorResponse(id: NSNull(), .invalidRequest("id must be a string, number or null"))
        }
        guard obj["jsonrpc"] as? String == "2.0" else { return errorResponse(id: id ?? NSNull(), .invalidRequest("jsonrpc must be \"2.0\"")) }
        guard let method = obj["method"] as? String else { return errorResponse(id: id ?? NSNull(), .invalidRequest("method must be a string")) }
        let result: Any
        let started = ContinuousClock.now
        var failed = true
        defer {
            // Only registered methods: unknown names from clients must not grow the metric labels.
            if let observer, handlers[method] != nil {
                observer.observe(method: method, seconds: (ContinuousClock.now - started).seconds, failed: failed)
            }
        }
        do {
            guard let handler = handlers[method] else { throw RPCError.methodNotFound(method) }
            result = try handler(try RPCParams(obj["params"]))
            failed = false
        } catch let e as RPCError {
            return id == nil ? nil : errorResponse(id: id ?? NSNull(), e)
        } catch {
            return id == nil ? nil : errorResponse(id: id ?? NSNull(), .server("\(error)"))
        }
        guard let id else { return nil }
        return ["jsonrpc": "2.0", "id": id, "result": result]
    }

    private func errorResponse(id: Any, _ e: RPCError) -> [String: Any] {
        ["jsonrpc": "2.0", "id": id, "error": e.json]
    }

    private func encode(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]))
            ?? Data(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error: response not encodable"}}"#.utf8)
    }
}
