/// Why a genesis file was refused. Every case names the key path of the setting (`config.chainId`,
/// `alloc 0x… nonce`, `config.ankr.plasma.exitBond`) and what is wrong with it; the description reads
/// "invalid genesis: <path> <problem>", as `ankr init` and `ankr node` print it.
public enum GenesisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not JSON at all.
    case notJSON(reason: String)
    /// A required setting is absent.
    case missing(path: String)
    /// The value has another JSON type than the setting takes (`expected`: "an object", "true or false").
    case wrongType(path: String, expected: String)
    /// A string that does not parse as what the setting holds (`expected`: "hex", "an address").
    case malformed(path: String, expected: String)
    /// A quantity written as a string that is not a number.
    case notANumber(path: String, text: String)
    /// A number outside the setting's range (`must`: "fit 64 bits", "be positive").
    case outOfRange(path: String, must: String)
    /// A list that needs at least one entry is empty.
    case empty(path: String)
    /// A section holds a setting it does not know (a typo would otherwise be silently ignored).
    case unknownSetting(path: String)
    /// `config.ankr.consensus` names no known sealing rule.
    case unknownConsensus(String)
    /// Settings that are fine alone but not together (`rule` says what must hold).
    case conflict(path: String, rule: String)
    /// `extraData` is longer than a header can carry.
    case extraDataTooLong(Int)

    public var description: String { "invalid genesis: " + problem }

    private var problem: String {
        switch self {
        case .notJSON(let reason): return "not valid JSON (\(reason))"
        case .missing(let path): return "\(path) is required"
        case .wrongType(let path, let expected): return "\(path) must be \(expected)"
        case .malformed(let path, let expected): return "\(path) is not \(expected)"
        case .notANumber(let path, let text): return "\(path) is not a number: \(text)"
        case .outOfRange(let path, let must): return "\(path) must \(must)"
        case .empty(let path): return "\(path) must not be empty"
        case .unknownSetting(let path): return "unknown setting \(path)"
        case .unknownConsensus(let name): return "config.ankr.consensus must be \"dev\", \"pouw\" or \"operator\", not \(name)"
        case .conflict(let path, let rule): return "\(path) \(rule)"
        case .extraDataTooLong(let n): return "extraData is \(n) bytes; at most \(BlockHeader.maxExtraData) allowed"
        }
    }
}
