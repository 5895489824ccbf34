import AnkrRPC

/// Why node settings were refused; each case names the setting (and the file or flag it came from).
public enum NodeConfigurationError: Error, Equatable, CustomStringConvertible {
    /// Where a refused value came from: the key `key` of the config file `file`, or the flag `--key`.
    public enum Setting: Equatable, Sendable, CustomStringConvertible {
        case file(String, key: String)
        case flag(String)

        public var description: String {
            switch self {
            case .file(let file, let key): return "\(file): \(key)"
            case .flag(let name): return "--\(name)"
            }
        }
    }

    /// The config file at `path` is missing or cannot be read.
    case unreadableFile(path: String)
    /// The config file is not TOML: the parser's `message` at `line`:`column`.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// Keys the settings do not have (a typo must not pass silently).
    case unknownKeys(file: String, keys: [String])
    /// A value of the wrong type (`expected` when the decoder knows it), or a table where a value belongs.
    case wrongType(file: String, key: String, expected: String?)
    /// A value the decoder refused for `reason`.
    case malformedValue(file: String, key: String, reason: String)
    /// A file the decoder could not read for `reason`.
    case undecodable(file: String, reason: String)
    /// Not a duration between 0 and 1 h.
    case invalidDuration(Setting, text: String)
    /// Not a log level name.
    case unknownLogLevel(Setting, text: String)
    /// A number outside `range` (as in "between `range`") after merging file and flags.
    case outOfRange(key: String, range: String)
    /// `http.api` is empty.
    case noAPIs
    /// `http.api` names namespaces the node does not have.
    case unknownAPIs([String])
    /// The coinbase is not a 20-byte hex address.
    case invalidCoinbase(String)
    /// A bootnode is not `host:port`.
    case invalidBootnode(String)

    public var description: String {
        switch self {
        case .unreadableFile(let path): return "cannot read the config file \(path)"
        case .syntax(let file, let line, let column, let message): return "\(file):\(line):\(column): \(message)"
        case .unknownKeys(let file, let keys): return "\(file): unknown settings \(keys.joined(separator: ", "))"
        case .wrongType(let file, let key, let expected?): return "\(file): \(key) must be \(expected)"
        case .wrongType(let file, let key, nil): return "\(file): \(key) is missing or of the wrong type"
        case .malformedValue(let file, let key, let reason): return "\(file): \(key): \(reason)"
        case .undecodable(let file, let reason): return "\(file): \(reason)"
        case .invalidDuration(let setting, let text): return "\(setting) must be a duration between 0 and 1h, like 5s or 300ms (got \(text))"
        case .unknownLogLevel(let setting, _): return "\(setting) must be one of \(NodeConfiguration.levels)"
        case .outOfRange(let key, let range): return "\(key) must be between \(range)"
        case .noAPIs: return "http.api must name at least one API"
        case .unknownAPIs(let names):
            return "http.api: unknown API \(names.joined(separator: ", ")) (known: \(RPCLimits.knownAPIs.sorted().joined(separator: ", ")))"
        case .invalidCoinbase(let text): return "the coinbase \(text) is not an address"
        case .invalidBootnode(let text): return "bootnode \(text) is not host:port"
        }
    }
}
