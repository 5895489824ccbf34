import AnkrPrimitives

extension [String: JSON] {
    /// Member `name`, or nil when it is absent or JSON `null`: clients (web3.py, ethers) send `"to": null` for a creation
    /// and null for any field they leave unset, which geth reads as absent.
    ///
    /// (`JSON` is `ExpressibleByNilLiteral`, so `self[name].flatMap { $0 == .null ? nil : $0 }` would turn the `nil` back into
    /// `.null`; this is the one place that gets it right.)
    func member(_ name: String) -> JSON? {
        guard let value = self[name], value != .null else { return nil }
        return value
    }
}
