/// One request header a private request sends to its source (`Authorization: Bearer …`, `Accept: …`).
/// Validated so a request cannot smuggle a second header or request (no CR, LF or other control
/// character anywhere) nor take over the connection: `Host`, the hop-by-hop headers and the ones
/// that frame the message (`Content-Length`, `Transfer-Encoding`, `Expect`) are the client's own.
public struct SourceHeader: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let value: String

    public static let maxNameBytes = 64
    public static let maxValueBytes = 1_024
    /// Names (lowercase) a request may not set.
    public static let refusedNames: Set<String> = [
        "host", "connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te", "trailer",
        "transfer-encoding", "upgrade", "content-length", "expect",
        // Turn a POST into another method on servers that honour them: a request says its method by having a body or not.
        "x-http-method-override", "x-http-method", "x-method-override",
    ]

    /// Why a header was refused.
    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ why: String) { description = why }
    }

    public init(name: String, value: String) throws {
        let n = Array(name.utf8), v = Array(value.utf8)
        guard !n.isEmpty, n.count <= Self.maxNameBytes, n.allSatisfy(Self.isTokenByte) else {
            throw Invalid("a header name is 1…\(Self.maxNameBytes) token characters (letters, digits, !#$%&'*+-.^_`|~)")
        }
        // Some servers and proxies read `_` as `-` (`Content_Length`), so names are compared that way too.
        let normalized = String(decoding: name.lowercased().utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
        guard !Self.refusedNames.contains(normalized) else { throw Invalid("the \(name) header is the client's own and may not be set") }
        // Visible ASCII, space and tab only: no CR/LF (header injection), NUL or other controls.
        guard v.count <= Self.maxValueBytes, v.allSatisfy({ $0 == 0x09 || (0x20...0x7e).contains($0) }) else {
            throw Invalid("the value of \(name) is at most \(Self.maxValueBytes) bytes of visible ASCII, space or tab")
        }
        self.name = name; self.value = value
    }

    /// Parses `Name: value` (spaces around the value trimmed), as `curl -H` takes it.
    public init(line: String) throws {
        guard let colon = line.firstIndex(of: ":") else { throw Invalid("a header is written Name: value") }
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        var end = value.endIndex
        while end > value.startIndex, value[value.index(before: end)] == " " || value[value.index(before: end)] == "\t" { end = value.index(before: end) }
        try self.init(name: String(line[..<colon]), value: String(value[..<end]))
    }

    /// `Name: value`, the form the envelope carries.
    public var description: String { "\(name): \(value)" }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
        }
    }
}

/// What the enclave asks a source: a GET of `url`, or a POST when the request carries a body, with
/// the request's own headers. Only a private request can carry headers or a body (they travel
/// encrypted to the enclave), so credentials never appear anywhere outside it.
public struct SourceRequest: Sendable, Equatable {
    public let url: String
    public let headers: [SourceHeader]
    public let body: [UInt8]

    public init(url: String, headers: [SourceHeader] = [], body: [UInt8] = []) { self.url = url; self.headers = headers; self.body = body }

    /// POST with a body, GET without.
    public var method: String { body.isEmpty ? "GET" : "POST" }
    /// A GET with no headers of the request's own: what a public request sends.
    public var isPlain: Bool { headers.isEmpty && body.isEmpty }
}
