/// Why a module was refused or a subtask failed.
public enum WorkError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidModule(String)
    case hasImports([String])
    case missingExport(String)
    case outOfFuel(limit: UInt64)
    case trap(String)
    case badResult(String)
    case inputTooLarge(Int, limit: Int)
    case outputTooLarge(Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidModule(let why): return "invalid WebAssembly module: \(why)"
        case .hasImports(let names): return "useful-work modules may not import anything; this one imports \(names.joined(separator: ", "))"
        case .missingExport(let name): return "module does not export \(name) with the required signature"
        case .outOfFuel(let limit): return "subtask ran out of fuel (limit \(limit))"
        case .trap(let why): return "module trapped: \(why)"
        case .badResult(let why): return "module returned an invalid result: \(why)"
        case .inputTooLarge(let n, let l): return "input of \(n) bytes exceeds the \(l)-byte limit"
        case .outputTooLarge(let n, let l): return "output of \(n) bytes exceeds the \(l)-byte limit"
        }
    }
}
