import AnkrEVM
import AnkrPrimitives

/// The TraceConfig of `debug_traceTransaction`, `debug_traceCall` and `debug_traceBlockBy*`, as geth
/// reads it: `tracer` ("callTracer", or absent/empty for the opcode logger), the opcode logger's
/// `enableMemory`/`disableStack`/`disableStorage`/`enableReturnData`/`limit`, the call tracer's
/// `tracerConfig {onlyTopCall, withLog}`, and `timeout` as a Go duration. Unknown members are ignored,
/// as geth's JSON decoding ignores them; known ones of the wrong type are refused.
struct DebugTraceConfig {
    enum Tracer {
        case opcodeLogger(StructLoggerConfig)
        case callTracer(onlyTopCall: Bool, withLog: Bool)
    }

    var tracer: Tracer
    /// The caller's time limit, when given.
    var timeout: Duration?

    /// The default: the opcode logger with geth's defaults and no timeout of the caller's own.
    init() {
        tracer = .opcodeLogger(StructLoggerConfig())
        timeout = nil
    }

    /// Reads a TraceConfig parameter; nil (absent or null) is the default. `callOptions` allows the
    /// members only `debug_traceCall` has.
    init(_ json: JSON?, callOptions: Bool = false) throws(DebugTraceConfigError) {
        self.init()
        guard let json else { return }
        guard let o = json.object else { throw .notAnObject(field: "trace config") }
        // geth's traceCall applies these; running without them would trace something else.
        if callOptions {
            for name in ["stateOverrides", "blockOverrides"] where o[name] != nil && o[name] != .null {
                throw .unsupportedOption(name)
            }
        }
        if let t = o["timeout"], t != .null {
            guard let text = t.string else { throw .wrongType(field: "timeout", expected: "a string such as \"5s\"") }
            timeout = try DebugDuration.parse(text)
        }
        let name: String
        switch o["tracer"] {
        case nil, .null?: name = ""
        case .string(let s)?: name = s
        default: throw .wrongType(field: "tracer", expected: "a string")
        }
        switch name {
        case "":
            var config = StructLoggerConfig()
            config.enableMemory = try Self.flag(o, "enableMemory") ?? config.enableMemory
            config.disableStack = try Self.flag(o, "disableStack") ?? config.disableStack
            config.disableStorage = try Self.flag(o, "disableStorage") ?? config.disableStorage
            config.enableReturnData = try Self.flag(o, "enableReturnData") ?? config.enableReturnData
            config.limit = try Self.limit(o["limit"]) ?? config.limit
            tracer = .opcodeLogger(config)
        case "callTracer":
            var onlyTopCall = false, withLog = false
            switch o["tracerConfig"] {
            case nil, .null?: break
            case .object(let c)?:
                onlyTopCall = try Self.flag(c, "onlyTopCall") ?? false
                withLog = try Self.flag(c, "withLog") ?? false
            default: throw .notAnObject(field: "tracerConfig")
            }
            tracer = .callTracer(onlyTopCall: onlyTopCall, withLog: withLog)
        default:
            throw .unknownTracer(name)
        }
    }

    private static func flag(_ o: [String: JSON], _ name: String) throws(DebugTraceConfigError) -> Bool? {
        switch o[name] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        default: throw .wrongType(field: name, expected: "a boolean")
        }
    }

    /// geth's `limit`: a JSON number of structLogs to keep, 0 for no limit.
    private static func limit(_ value: JSON?) throws(DebugTraceConfigError) -> Int? {
        switch value {
        case nil, .null?: return nil
        case let v?:
            guard let n = v.int, n >= 0, let limit = Int(exactly: n) else { throw .badLimit(v.serializedText) }
            return limit
        }
    }
}

private extension JSON {
    /// A short rendering for error messages (a hostile value can be long).
    var serializedText: String {
        let text = String(decoding: serialized(), as: UTF8.self)
        return text.count > 64 ? String(text.prefix(64)) + "…" : text
    }
}
