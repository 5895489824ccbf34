/// A duration in Go's `time.ParseDuration` syntax, as geth's `TraceConfig.timeout` takes it: one or
/// more decimal numbers each followed by a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), e.g. `5s`,
/// `300ms`, `1.5m`, `2m30s`. Signs are refused: a trace's time limit must be positive.
enum DebugDuration {
    /// Longest text accepted; the longest sensible value (`2562047h47m16.854775807s`) is 24 characters.
    static let maxLength = 64

    /// Nanoseconds per unit.
    private static let units: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    static func parse(_ text: String) throws(DebugTraceConfigError) -> Duration {
        guard text.utf8.count <= maxLength else { throw .timeoutTooLong(length: text.utf8.count, limit: maxLength) }
        var rest = Substring(text)
        guard !rest.isEmpty else { throw .malformedTimeout(text) }
        var total: Int64 = 0
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(whole.count)
            var fraction = Substring()
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { throw .malformedTimeout(text) }
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let scale = units.first(where: { $0.0 == unitText })?.1 else { throw .malformedTimeout(text) }
            rest = rest.dropFirst(unitText.count)
            total = try add(total, nanoseconds(whole: whole, fraction: fraction, scale: scale, text: text), text: text)
        }
        guard total > 0 else { throw .nonPositiveTimeout(text) }
        return .nanoseconds(total)
    }

    /// `whole.fraction × scale` in nanoseconds, refusing values past Int64 (as Go does).
    private static func nanoseconds(whole: Substring, fraction: Substring, scale: Int64,
                                    text: String) throws(DebugTraceConfigError) -> Int64 {
        var value: Int64 = 0
        for digit in whole {
            guard let d = digit.wholeNumberValue else { throw .malformedTimeout(text) }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { throw .timeoutOutOfRange(text) }
            value = next
        }
        let (scaled, overflow) = value.multipliedReportingOverflow(by: scale)
        guard !overflow else { throw .timeoutOutOfRange(text) }
        // Fraction digits past the unit's nanosecond resolution change nothing.
        var part: Int64 = 0
        var unit = scale
        for digit in fraction {
            guard let d = digit.wholeNumberValue else { throw .malformedTimeout(text) }
            unit /= 10
            guard unit > 0 else { break }
            part += Int64(d) * unit
        }
        return try add(scaled, part, text: text)
    }

    private static func add(_ a: Int64, _ b: Int64, text: String) throws(DebugTraceConfigError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .timeoutOutOfRange(text) }
        return sum
    }
}
