import Foundation

/// A page the RPC server serves on `GET <path>` next to JSON-RPC (the explorer, `/metrics`).
public struct HTTPRoute: Sendable {
    public struct Response: Sendable {
        public var contentType: String
        public var body: Data

        public init(contentType: String, body: Data) {
            self.contentType = contentType
            self.body = body
        }
    }

    public let path: String
    public let respond: @Sendable () throws -> Response

    public init(path: String, respond: @escaping @Sendable () throws -> Response) {
        self.path = path
        self.respond = respond
    }
}
