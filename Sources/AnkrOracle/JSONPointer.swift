/// An RFC 6901 JSON pointer: `""` is the whole document, `/a/b/0` walks members and array
/// indices, `~1` stands for `/` and `~0` for `~` inside a token.
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
    public let tokens: [String]
    public let description: String

    public init(_ text: String) throws {
        description = text
        guard !text.isEmpty else { tokens = []; return }
        guard text.hasPrefix("/") else { throw OracleError.invalidPointer("\(text) must start with '/'") }
        tokens = try text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { raw in
            var out = "", chars = raw.makeIterator()
            while let c = chars.next() {
                guard c == "~" else { out.append(c); continue }
                switch chars.next() {
                case "0": out.append("~")
                case "1": out.append("/")
                default: throw OracleError.invalidPointer("'~' must be followed by 0 or 1 in \(text)")
                }
            }
            return out
        }
    }

    /// The value the pointer names in `document`.
    public func resolve(in document: OracleJSON) throws -> OracleJSON {
        var node = document
        for (depth, token) in tokens.enumerated() {
            let at = "/" + tokens[..<(depth + 1)].joined(separator: "/")
            switch node {
            case .object(let members):
                guard let next = members.first(where: { $0.0 == token })?.1 else { throw OracleError.pathNotFound(at) }
                node = next
            case .array(let items):
                // Array indices are decimal without leading zeros (RFC 6901 §4).
                guard let i = Int(token), String(i) == token, i >= 0, i < items.count else { throw OracleError.pathNotFound(at) }
                node = items[i]
            default:
                throw OracleError.pathNotFound(at)
            }
        }
        return node
    }
}
