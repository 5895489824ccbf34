import Foundation

/// One request to an ``HTTPService``.
public struct HTTPServiceRequest: Sendable {
    /// `GET`, `PUT`, `POST`, `DELETE`, …
    public var method: String
    /// The path without the query string, percent-decoding not applied.
    public var path: String
    public var query: [String: String]
    public var body: Data

    public init(method: String, path: String, query: [String: String] = [:], body: Data = Data()) {
        self.method = method; self.path = path; self.query = query; self.body = body
    }

    /// Splits a request target (`/v1/assets/7?x=1`) into its path and query items.
    public init(method: String, target: String, body: Data) {
        let components = URLComponents(string: target)
        var query = [String: String]()
        for item in components?.queryItems ?? [] where query[item.name] == nil { query[item.name] = item.value ?? "" }
        self.init(method: method, path: components?.path ?? String(target.prefix { $0 != "?" }), query: query, body: body)
    }
}
