extension ABI {
    /// The selector of Solidity's `Error(string)`, which `revert("…")` returns.
    public static let errorSelector: [UInt8] = [0x08, 0xc3, 0x79, 0xa0]

    /// The return data of `revert(reason)`: `Error(string)` ABI-encoded, as every tool decodes it.
    public static func revertData(_ reason: String) -> [UInt8] {
        // A string always encodes.
        errorSelector + ((try? encode([.string(reason)], types: [.string])) ?? [])
    }

    /// The reason in `Error(string)` return data; nil for any other data (custom errors, panics, none).
    public static func revertReason(_ data: [UInt8]) -> String? {
        guard data.count >= 4, Array(data.prefix(4)) == errorSelector,
              let values = try? decode([.string], from: Array(data.dropFirst(4))), case .string(let reason)? = values.first
        else { return nil }
        return reason
    }
}
