/// Told how long each JSON-RPC method took (metrics hook into this).
public protocol RPCObserver: Sendable {
    func observe(method: String, seconds: Double, failed: Bool)
}
