/// Why a `debug_trace*` TraceConfig (or its `tracerConfig`) was refused.
enum DebugTraceConfigError: Error, Equatable, CustomStringConvertible {
    /// The TraceConfig (or `tracerConfig`) is not a JSON object.
    case notAnObject(field: String)
    /// A known member has the wrong JSON type.
    case wrongType(field: String, expected: String)
    /// A tracer this node does not have (JavaScript tracers included).
    case unknownTracer(String)
    /// `limit` is negative or not an integer.
    case badLimit(String)
    /// `timeout` is not a Go duration.
    case malformedTimeout(String)
    case timeoutTooLong(length: Int, limit: Int)
    case timeoutOutOfRange(String)
    case nonPositiveTimeout(String)
    /// An option geth has that this node does not (state and block overrides of `debug_traceCall`).
    case unsupportedOption(String)

    var description: String {
        switch self {
        case .notAnObject(let field): return "\(field) must be an object"
        case .wrongType(let field, let expected): return "\(field) must be \(expected)"
        case .unknownTracer(let name):
            let shown = name.count > 64 ? String(name.prefix(64)) + "…" : name
            return "tracer \"\(shown)\" not found: this node has callTracer and the default opcode logger (no tracer)"
        case .badLimit(let text): return "limit must be a non-negative integer, got \(text)"
        case .malformedTimeout(let text): return "timeout \"\(text.prefix(64))\" is not a duration such as \"5s\" or \"300ms\""
        case .timeoutTooLong(let length, let limit): return "timeout is \(length) characters; at most \(limit) allowed"
        case .timeoutOutOfRange(let text): return "timeout \"\(text)\" is out of range"
        case .nonPositiveTimeout(let text): return "timeout \"\(text)\" must be positive"
        case .unsupportedOption(let name): return "\(name) is not supported by this node"
        }
    }
}
