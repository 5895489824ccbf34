import AnkrPrimitives

/// Why a test's RPC call did not go as the test needed.
enum SubscriptionTestError: Error {
    case noReply(String)
    case failed(String, JSON)
    case succeeded(String, String)
}
