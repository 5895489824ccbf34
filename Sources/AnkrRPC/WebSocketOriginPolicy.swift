/// Which pages may open a WebSocket to the node: the same rules as CORS. A client that sends no
/// `Origin` (web3.py, scripts, other nodes) is no browser page and is let in; a browser page is let in
/// when its origin is listed (or the list holds `*`), or when it was served by this very server (its
/// origin's host and port are the `Host` the upgrade was sent to).
public struct WebSocketOriginPolicy: Sendable, Equatable {
    /// Origins allowed (`*` for any).
    public let allowed: [String]

    public init(allowed: [String]) { self.allowed = allowed }

    /// Whether an upgrade request with these `Origin` and `Host` headers may proceed.
    public func admits(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        if allowed.contains("*") || allowed.contains(origin) { return true }
        guard let host, !host.isEmpty, let authority = Self.authority(of: origin) else { return false }
        return authority.lowercased() == host.lowercased()
    }

    /// `host[:port]` of an origin such as `http://127.0.0.1:8545` (nil for `null` or anything not
    /// scheme://authority).
    static func authority(of origin: String) -> String? {
        guard let range = origin.range(of: "://") else { return nil }
        let rest = origin[range.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        return authority.isEmpty ? nil : String(authority)
    }
}
