/// A REST resource tree the RPC server serves next to JSON-RPC, e.g. the asset API under
/// `/v1/assets`. The server enforces the body limit and runs ``respond(to:)`` on its thread pool.
public protocol HTTPService: Sendable {
    /// The path this service owns, with everything below it (`/v1/assets` owns `/v1/assets/7`).
    var pathPrefix: String { get }
    /// Answers one request. Failures are answers too (4xx/5xx with a JSON error), never throws.
    func respond(to request: HTTPServiceRequest) -> HTTPServiceResponse
}
