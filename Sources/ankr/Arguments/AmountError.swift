/// Why a command-line amount (`1.5ankr`, `20gwei`, `100`) was refused.
enum AmountError: Error, Equatable, CustomStringConvertible {
    /// Not a number with an optional unit.
    case unreadable(String)
    /// More fraction digits than the unit has (a wei cannot be split).
    case tooManyDecimals(String, decimals: Int)
    /// More than 2^256 − 1 wei.
    case overflow(String)
    /// Hex digits with a unit or a fraction: only a plain wei amount may be hex.
    case hexWithUnit(String)

    var description: String {
        switch self {
        case .unreadable(let text):
            let units = Amount.units.map(\.suffix).joined(separator: ", ")
            return "cannot read amount \(text): give wei (100 or 0x64) or a number with a unit, one of \(units) (1.5ankr, 20gwei)"
        case .tooManyDecimals(let text, let decimals): return "amount \(text) has more than \(decimals) decimals"
        case .overflow(let text): return "amount \(text) does not fit in 256 bits"
        case .hexWithUnit(let text): return "amount \(text) mixes hex digits with a unit or a fraction"
        }
    }
}
