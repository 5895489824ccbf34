import Foundation

/// A REST resource tree the RPC server serves next to JSON-RPC, e.g. the asset API under
/// `/v1/assets`. The server enforces the body limit and runs ``respond(to:)`` on its thread pool.
public protocol HTTPService: Sendable {
    /// The path this service owns, with everything below it (`/v1/assets` owns `/v1/assets/7`).
    var pathPrefix: String { get }
    /// Answers one request. Failures are answers too (4xx/5xx with a JSON error), never throws.
    func respond(to request: HTTPServiceRequest) -> HTTPServiceResponse
}

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

/// An ``HTTPService``'s answer.
public struct HTTPServiceResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: Data

    public init(status: Int, contentType: String = "application/json", body: Data) {
        self.status = status; self.contentType = contentType; self.body = body
    }

    /// A JSON answer (keys sorted, so answers are stable to compare and to read).
    public static func json(_ status: Int, _ object: Any) -> HTTPServiceResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return HTTPServiceResponse(status: status, body: data + Data("\n".utf8))
    }

    /// `{"error": {"code": status, "message": …}}`.
    public static func error(_ status: Int, _ message: String) -> HTTPServiceResponse {
        json(status, ["error": ["code": status, "message": message]])
    }
}
