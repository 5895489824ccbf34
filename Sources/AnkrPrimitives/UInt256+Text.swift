/// Why a string could not be read as a ``UInt256``.
public enum UInt256ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidDigit(String)
    case overflow(String)

    public var description: String {
        switch self {
        case .empty: return "empty number"
        case .invalidDigit(let s): return "invalid digit in number \"\(s)\""
        case .overflow(let s): return "number \"\(s)\" does not fit in 256 bits"
        }
    }
}

extension UInt256: CustomStringConvertible, LosslessStringConvertible {
    /// Decimal digits.
    public var description: String {
        if isZero { return "0" }
        var digits = [UInt8]()
        var v = self
        let ten19 = UInt256(10_000_000_000_000_000_000)
        while !v.isZero {
            let (q, r) = v.quotientAndRemainder(dividingBy: ten19)
            var chunk = r.w0
            for _ in 0..<19 {
                digits.append(UInt8(ascii: "0") + UInt8(chunk % 10))
                chunk /= 10
                if q.isZero && chunk == 0 { break }
            }
            v = q
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Minimal `0x` hex, as JSON-RPC quantities are written (`0x0` for zero).
    public var hexQuantity: String {
        let bytes = minimalBigEndianBytes
        if bytes.isEmpty { return "0x0" }
        var s = Hex.encode(bytes)
        if s.hasPrefix("0") { s.removeFirst() }
        return "0x" + s
    }

    /// Parses decimal, or hex with a `0x` prefix.
    public init?(_ description: String) {
        guard let v = try? UInt256(parsing: description) else { return nil }
        self = v
    }

    /// Parses decimal, or hex with a `0x` prefix (any number of digits up to 256 bits, leading zeros allowed).
    public init(parsing text: String) throws {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let body = text.dropFirst(2)
            guard !body.isEmpty else { throw UInt256ParseError.empty }
            var v = UInt256.zero
            for c in body.utf8 {
                guard let n = Hex.nibble(c) else { throw UInt256ParseError.invalidDigit(text) }
                guard v.w3 >> 60 == 0 else { throw UInt256ParseError.overflow(text) }
                v = v.shiftedLeft(4) | UInt256(UInt64(n))
            }
            self = v
            return
        }
        guard !text.isEmpty else { throw UInt256ParseError.empty }
        var v = UInt256.zero
        let ten = UInt256(10)
        for c in text.utf8 {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw UInt256ParseError.invalidDigit(text) }
            let (m, o1) = v.multipliedReportingOverflow(by: ten)
            let (s, o2) = m.addingReportingOverflow(UInt256(UInt64(c - UInt8(ascii: "0"))))
            guard !o1, !o2 else { throw UInt256ParseError.overflow(text) }
            v = s
        }
        self = v
    }
}
