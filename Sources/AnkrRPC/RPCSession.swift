import AnkrPrimitives

/// One long-lived connection (a WebSocket) that the server can talk to without being asked:
/// subscriptions queue their notifications here. Calls over plain HTTP have no session.
public protocol RPCSession: AnyObject, Sendable {
    /// Unique per connection for the life of the server.
    var sessionID: UInt64 { get }
    /// Queues a server→client message (a full JSON-RPC notification object). False when the session
    /// is closed or was dropped for being too slow. Never blocks, never grows memory past the
    /// session's bound: a message that would pass the bound closes the session instead.
    @discardableResult func notify(_ message: JSON) -> Bool
    /// Runs `handler` once when the connection ends (client close, error, or dropped as too slow);
    /// at once if it has already ended.
    func onClose(_ handler: @escaping @Sendable () -> Void)
}
