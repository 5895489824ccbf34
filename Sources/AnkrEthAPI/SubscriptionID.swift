import AnkrPrimitives

/// Identifiers of subscriptions and filters, as geth makes them (`rpc.NewID`): 16 random bytes
/// written as a quantity (`0x` and hex without leading zeros), unguessable by other clients.
enum SubscriptionID {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let digits = bytes.hex.drop { $0 == "0" }
        return "0x" + (digits.isEmpty ? "0" : digits)
    }
}
