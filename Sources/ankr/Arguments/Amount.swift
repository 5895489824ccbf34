import AnkrCommandLine
import AnkrPrimitives
import ArgumentParser
import Foundation

/// An amount of ANKR on the command line: wei by default, or a decimal number with a unit —
/// `ankr` or `ether` (18 decimals), `gwei` (9), `wei` (0) — in any case (`1.5ankr`, `20GWEI`).
/// A plain number may also be `0x` hex wei. The text is kept, so messages repeat what was typed.
struct Amount: Sendable, ExpressibleByArgument, CustomStringConvertible {
    /// The value in wei.
    let wei: UInt256
    /// The amount as typed.
    let text: String

    /// Units by suffix, longest match first where one ends another (`gwei` before `wei`).
    static let units: [(suffix: String, decimals: Int)] = [("ankr", 18), ("ether", 18), ("gwei", 9), ("wei", 0)]

    /// An amount of exactly `wei`, written as a plain wei number.
    init(wei: UInt256) {
        self.wei = wei
        text = wei.description
    }

    /// Reads `text` (surrounding spaces ignored).
    init(parsing text: String) throws(AmountError) {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        let unit = Self.units.first { lower.hasSuffix($0.suffix) }
        let number = unit.map { String(lower.dropLast($0.suffix.count)) } ?? lower
        wei = try Self.scaled(number, decimals: unit?.decimals ?? 0, hasUnit: unit != nil, original: text)
        self.text = text
    }

    init?(argument: String) {
        do throws(AmountError) { self = try Amount(parsing: argument) } catch {
            ArgumentRefusals.note(argument, error)
            return nil
        }
    }

    var description: String { text }

    /// `number` (digits, at most one `.`) times 10^`decimals`.
    private static func scaled(_ number: String, decimals: Int, hasUnit: Bool, original: String) throws(AmountError) -> UInt256 {
        if number.hasPrefix("0x") {
            guard !hasUnit, !number.contains(".") else { throw .hexWithUnit(original) }
            do { return try UInt256(parsing: number) } catch UInt256ParseError.overflow { throw .overflow(original) } catch { throw .unreadable(original) }
        }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2 else { throw .unreadable(original) }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= decimals else { throw .tooManyDecimals(original, decimals: decimals) }
        let digits = (whole.isEmpty ? "0" : whole) + fraction + String(repeating: "0", count: decimals - fraction.count)
        guard digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { throw .unreadable(original) }
        guard let value = try? UInt256(parsing: String(digits)) else { throw .overflow(original) }
        return value
    }

    /// `wei` as ANKR with up to 18 decimals and no trailing zeros (`1.5`, `0.000000001`, `3`).
    static func format(_ wei: UInt256) -> String {
        let unit = UInt256(1_000_000_000_000_000_000)
        let (whole, fraction) = wei.quotientAndRemainder(dividingBy: unit)
        var digits = fraction.description
        digits = String(repeating: "0", count: 18 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits.isEmpty ? "\(whole)" : "\(whole).\(digits)"
    }
}
