import AnkrPrimitives
import Foundation

/// An ``HTTPService``'s answer.
public struct HTTPServiceResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: Data

    public init(status: Int, contentType: String = "application/json", body: Data) {
        self.status = status; self.contentType = contentType; self.body = body
    }

    /// A JSON answer (keys sorted, so answers are stable to compare and to read), ending in a newline.
    public static func json(_ status: Int, _ value: JSON) -> HTTPServiceResponse {
        HTTPServiceResponse(status: status, body: Data(value.serialized()) + Data("\n".utf8))
    }

    /// `{"error": {"code": status, "message": …}}`.
    public static func error(_ status: Int, _ message: String) -> HTTPServiceResponse {
        json(status, ["error": ["code": .int(clamping: status), "message": .string(message)]])
    }
}
