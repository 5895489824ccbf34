import AnkrPrimitives
import AnkrRPC

/// The bytes of trace JSON one call may still build. A block's traces share one budget, so tracing a
/// block of many transactions cannot build many times what tracing one may.
struct DebugTraceBudget {
    let limit: Int
    private(set) var spent = 0

    init(limit: Int) { self.limit = limit }

    /// What the next transaction's trace may still take.
    var remaining: Int { max(0, limit - spent) }

    /// Counts `trace`'s serialized size; past the limit the call fails rather than answer gigabytes.
    mutating func spend(_ trace: JSON) throws {
        spent = Self.size(trace, adding: spent, cap: limit)
        guard spent <= limit else {
            throw RPCError.server("trace exceeds \(limit) bytes: trace one transaction, or set a limit, or disable stack or storage capture")
        }
    }

    /// `total` plus about the bytes `json` serializes to (escapes aside), stopping once past `cap`.
    static func size(_ json: JSON, adding total: Int, cap: Int) -> Int {
        guard total <= cap else { return total }
        switch json {
        case .null: return total + 4
        case .bool: return total + 5
        case .int, .double: return total + 20
        case .string(let s): return total + s.utf8.count + 2
        case .array(let items):
            var sum = total + 2
            for item in items {
                sum = size(item, adding: sum + 1, cap: cap)
                if sum > cap { break }
            }
            return sum
        case .object(let members):
            var sum = total + 2
            for (key, value) in members {
                sum = size(value, adding: sum + key.utf8.count + 4, cap: cap)
                if sum > cap { break }
            }
            return sum
        }
    }
}
