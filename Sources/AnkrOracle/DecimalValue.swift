import AnkrPrimitives

/// A number scaled to a fixed count of decimals: 1.2345 at 2 decimals is 123. Digits past the
/// requested precision are cut (toward zero), never rounded, so every enclave gets the same integer.
/// Accepts JSON numbers and numeric strings (`"1,234.5"` is refused: no grouping), with an exponent.
public struct DecimalValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let negative: Bool
    public let magnitude: UInt256

    public init(negative: Bool, magnitude: UInt256) {
        self.negative = negative && !magnitude.isZero
        self.magnitude = magnitude
    }

    /// Reads `text` and scales it by 10^decimals (decimals ≤ 36).
    public init(_ text: String, decimals: Int) throws {
        guard decimals >= 0, decimals <= 36 else { throw OracleError.valueOutOfRange("\(decimals) decimals") }
        var s = Substring(text.trimmingSpaces)
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(s[s.index(after: e)...]), x >= -80, x <= 80 else { throw OracleError.notANumber(text) }
            exponent = x
            s = s[..<e]
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !(whole.isEmpty && (parts.count < 2 || parts[1].isEmpty)),
              (whole + (parts.count == 2 ? parts[1] : "")).allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw OracleError.notANumber(text)
        }
        var digits = String(whole) + (parts.count == 2 ? String(parts[1]) : "")
        // The decimal point sits `point` digits from the left; scaling moves it right.
        let point = whole.count + exponent + decimals
        if point <= 0 {
            digits = "0"
        } else if point >= digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        } else {
            digits = String(digits.prefix(point))
        }
        let trimmed = digits.drop { $0 == "0" }
        guard trimmed.count <= 78, let v = UInt256(trimmed.isEmpty ? "0" : String(trimmed)) else { throw OracleError.valueOutOfRange(text) }
        self.init(negative: negative, magnitude: v)
    }

    /// The value as an ABI int256 word (two's complement), refusing magnitudes past 2^255 − 1.
    public func int256() throws -> UInt256 {
        guard magnitude.shiftedRight(255).isZero else { throw OracleError.valueOutOfRange(description) }
        return negative ? (UInt256.zero &- magnitude) : magnitude
    }

    public static func < (a: DecimalValue, b: DecimalValue) -> Bool {
        switch (a.negative, b.negative) {
        case (true, false): return true
        case (false, true): return false
        case (false, false): return a.magnitude < b.magnitude
        case (true, true): return b.magnitude < a.magnitude
        }
    }

    public var description: String { (negative ? "-" : "") + magnitude.description }
}
