import AnkrPrimitives
import Foundation

/// Method name → handler, and the JSON-RPC 2.0 envelope: single calls, batches, notifications, errors.
/// Each method belongs to a namespace (its name's prefix, or `admin` for methods that change the
/// node); only the namespaces in ``apis`` are served. Heavy methods (EVM runs, block scans) pass
/// ``heavyCalls``, which refuses them at once when full.
public final class RPCMethodTable: @unchecked Sendable {
    /// Answers one call: its positional parameters in, its `result` out (errors as ``RPCError``).
    public typealias Handler = (RPCParams) throws -> JSON
    /// Answers one call that may need its connection (subscriptions): the session is nil over HTTP.
    public typealias SessionHandler = (RPCParams, (any RPCSession)?) throws -> JSON

    private struct Entry {
        var api: String
        var heavy: Bool
        var handler: SessionHandler
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
        register(name, api: api, heavy: heavy, session: { params, _ in try handler(params) })
    }

    /// Registers `name` with a handler that is given the caller's connection (nil over HTTP), for
    /// methods that talk back later (`eth_subscribe`).
    public func register(_ name: String, api: String? = nil, heavy: Bool = false, session handler: @escaping SessionHandler) {
        handlers[name] = Entry(api: api ?? String(name.prefix { $0 != "_" }), heavy: heavy, handler: handler)
    }

    /// Every registered method, served or not.
    public var methods: [String] { handlers.keys.sorted() }

    /// Handles one HTTP body; returns the response body, or nil when there is nothing to send
    /// (only notifications).
    public func handle(body: Data) -> Data? {
        handle(body: body, session: nil)
    }

    /// Handles one message of a connection that has a session (a WebSocket text frame); the same
    /// envelope rules as ``handle(body:)``.
    public func handle(body: Data, session: (any RPCSession)?) -> Data? {
        // A bare scalar is no request at all: refused as unparsable, as JSON-RPC servers without
        // fragment support answer it.
        guard let parsed = try? JSON(parsing: body), parsed.array != nil || parsed.object != nil else {
            return encode(errorResponse(id: .null, .parse("the body is not valid JSON")))
        }
        if let batch = parsed.array {
            guard !batch.isEmpty else { return encode(errorResponse(id: .null, .invalidRequest("empty batch"))) }
            guard batch.count <= maxBatch else {
                return encode(errorResponse(id: .null, .invalidRequest("batch of \(batch.count) calls exceeds the limit of \(maxBatch)")))
            }
            let responses = batch.compactMap { call($0, session: session) }
            return responses.isEmpty ? nil : encode(.array(responses))
        }
        guard let response = call(parsed, session: session) else { return nil }
        return encode(response)
    }

    /// One call's response, or nil for a notification (a call without an id).
    private func call(_ request: JSON, session: (any RPCSession)?) -> JSON? {
        guard let obj = request.object else { return errorResponse(id: .null, .invalidRequest("a call must be an object")) }
        let id = obj["id"]
        // An id must be a string, number or null; a missing id makes a notification.
        switch id {
        case nil, .null?, .string?, .int?, .double?: break
        default: return errorResponse(id: .null, .invalidRequest("id must be a string, number or null"))
        }
        guard obj["jsonrpc"] == "2.0" else { return errorResponse(id: id ?? .null, .invalidRequest("jsonrpc must be \"2.0\"")) }
        guard let method = obj["method"]?.string else { return errorResponse(id: id ?? .null, .invalidRequest("method must be a string")) }
        let result: JSON
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
            let params = try RPCParams(member: obj["params"])
            if entry.heavy {
                guard heavyCalls.tryEnter() else { throw RPCError.busy(heavyCalls.capacity) }
                defer { heavyCalls.leave() }
                result = try entry.handler(params, session)
            } else {
                result = try entry.handler(params, session)
            }
            failed = false
        } catch let e as RPCError {
            return id.map { errorResponse(id: $0, e) }
        } catch {
            return id.map { errorResponse(id: $0, .server("\(error)")) }
        }
        guard let id else { return nil }
        return ["jsonrpc": "2.0", "id": id, "result": result]
    }

    private func errorResponse(id: JSON, _ e: RPCError) -> JSON {
        ["jsonrpc": "2.0", "id": id, "error": e.json]
    }

    private func encode(_ response: JSON) -> Data { Data(response.serialized()) }
}
