import AnkrPrimitives

/// Why a Plasma transaction, block or position was refused: each case names the field and value.
public enum PlasmaError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case fieldOutOfRange(field: String, value: String)
    case badSignature(input: Int, reason: String)
    case missingSignature(input: Int)
    case unbalanced(outputsAndFee: String, inputs: String)
    case duplicateInput
    case tooManyTransactions(Int, limit: Int)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed Plasma data: \(why)"
        case .fieldOutOfRange(let f, let v): return "\(f) = \(v) is out of range"
        case .badSignature(let i, let why): return "signature of input \(i + 1) is invalid: \(why)"
        case .missingSignature(let i): return "input \(i + 1) is not signed"
        case .unbalanced(let o, let i): return "outputs plus fee (\(o)) do not equal the inputs (\(i))"
        case .duplicateInput: return "both inputs spend the same output"
        case .tooManyTransactions(let n, let l): return "a child block holds at most \(l) transactions, not \(n)"
        }
    }
}
