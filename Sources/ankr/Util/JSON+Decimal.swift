import AnkrCommandLine
import AnkrPrimitives

extension JSON {
    /// This value with the JSON-RPC quantities (`"0x…"`) under the named keys written for people, at
    /// any depth: `numbers` as JSON numbers (counts, block numbers, times, positions), `wei` as
    /// decimal strings, which hold any 256-bit amount. Other members, and quantities that do not
    /// parse or do not fit, stay as they are.
    func decimalQuantities(numbers: Set<String>, wei: Set<String>) -> JSON {
        switch self {
        case .array(let elements):
            return .array(elements.map { $0.decimalQuantities(numbers: numbers, wei: wei) })
        case .object(let members):
            var out = [String: JSON]()
            for (key, value) in members {
                if let text = value.string, text.hasPrefix("0x"), let quantity = UInt256(text) {
                    if numbers.contains(key), let n = quantity.uint64, let exact = Int64(exactly: n) {
                        out[key] = .int(exact)
                        continue
                    }
                    if wei.contains(key) {
                        out[key] = .string(quantity.description)
                        continue
                    }
                }
                out[key] = value.decimalQuantities(numbers: numbers, wei: wei)
            }
            return .object(out)
        default:
            return self
        }
    }
}
