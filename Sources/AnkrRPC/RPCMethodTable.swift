import Foundation

/// Method name → handler, and the JSON-RPC 2.0 envelope: single calls, batches, notifications, errors.
/// Each method belongs to a namespace (its name's prefix, or `admin` for methods that change the
/// node); only the namespaces in ``apis`` are served. Heavy methods (EVM runs, block scans) pass
/// ``heavyCalls``, which refuses them at once when full.
public final class RPCMethodTable: @unchecked Sendable {
    public typealias Handler = (RPCParams) throws -> Any

    private struct Entry {
        var api: String
        var heavy: Bool
        var handler: Handler
    }

    /// At most this many calls in one batch.
    public let maxBatch: Int
    /// The namespaces served.
    public let apis: Set<String>
    /// The places for heavy calls running at once.
    public let heavyCalls: RPCCallGate
    private var handlers: [String: Entry] = [:]

    /// Told the duration of each known method's calls (set before serving).
    public var observer: RPCObserver?

    public init(maxBatch: Int = 100, limits: RPCLimits = RPCLimits()) {
        self.maxBatch = maxBatch
        apis = limits.apis
        heavyCalls = RPCCallGate(capacity: limits.maxConcurrentHeavyCalls)
    }

    /// Registers `name`; call before serving (the table is read-only afterwards). `api` is the
    /// namespace that must be enabled (default: the name up to its `_`); `heavy` marks a method that
    /// runs the EVM or reads many blocks.
    public func register(_ name: String, api: String? = nil, heavy: Bool = false, _ handler: @escaping Handler) {
        handlers[name] = Entry(api: api ?? String(name.prefix { $0 != "_" }), heavy: heavy, handler: handler)
    }

    /// Every registered method, served or not.
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
            guard let entry = handlers[method] else { throw RPCError.methodNotFound(method) }
            guard apis.contains(entry.api) else { throw RPCError.methodNotEnabled(method, api: entry.api) }
            let params = try RPCParams(obj["params"])
            if entry.heavy {
                guard heavyCalls.tryEnter() else { throw RPCError.busy(heavyCalls.capacity) }
                defer { heavyCalls.leave() }
                result = try entry.handler(params)
            } else {
                result = try entry.handler(params)
            }
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
