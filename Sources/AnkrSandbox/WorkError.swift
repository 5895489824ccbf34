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
    // Admission (``ModuleAdmission``): what instantiation would do unmetered or unbounded.
    case hasStartFunction
    case moduleTooLarge(Int, limit: Int)
    case notWebAssembly
    case truncatedModule(offset: Int)
    case oversizedInteger(offset: Int)
    case countExceedsSection(count: UInt64, offset: Int)
    case unknownSection(id: UInt8, offset: Int)
    case sectionOverrunsModule(id: UInt8, offset: Int, size: Int)
    case tooManyMemories(limit: Int)
    case memoryTooLarge(pages: UInt64, limit: UInt64)
    case tooManyTables(limit: Int)
    case unsupportedTable(type: UInt8, offset: Int)
    case tablesTooLarge(elements: UInt64, limit: UInt64)
    case unsupportedLimits(kind: String, flags: UInt8, offset: Int)
    case tooManySegments(kind: String, count: Int, limit: Int)
    case tooManyLocals(function: Int, count: UInt64, limit: UInt64)
    // Wall-clock bound (``WasmSandbox/run(_:input:fuel:deadline:)``): local, never a consensus verdict.
    case deadlineExceeded(milliseconds: Int64)
    case sandboxBusy(abandonedRuns: Int)

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
        case .hasStartFunction:
            return "module has a start function, which would run at instantiation outside any fuel budget; useful-work modules may not have one"
        case .moduleTooLarge(let n, let l): return "module of \(n) bytes exceeds the \(l)-byte limit"
        case .notWebAssembly: return "module does not begin with the WebAssembly 1.0 header"
        case .truncatedModule(let at): return "module is truncated at byte \(at)"
        case .oversizedInteger(let at): return "LEB128 integer at byte \(at) is longer than 32 bits"
        case .countExceedsSection(let n, let at): return "vector of \(n) entries at byte \(at) is longer than its section"
        case .unknownSection(let id, let at): return "unknown section id \(id) at byte \(at)"
        case .sectionOverrunsModule(let id, let at, let size): return "section \(id) at byte \(at) claims \(size) bytes, past the module's end"
        case .tooManyMemories(let l): return "module declares more than \(l) memory"
        case .memoryTooLarge(let pages, let l): return "memory minimum of \(pages) pages exceeds the \(l)-page limit"
        case .tooManyTables(let l): return "module declares more than \(l) tables"
        case .unsupportedTable(let type, let at): return "table element type 0x\(String(type, radix: 16)) at byte \(at) is not funcref or externref"
        case .tablesTooLarge(let n, let l): return "table minimums add up to \(n) elements, over the \(l)-element limit"
        case .unsupportedLimits(let kind, let flags, let at): return "\(kind) limits flags 0x\(String(flags, radix: 16)) at byte \(at) (shared or 64-bit) are not allowed"
        case .tooManySegments(let kind, let n, let l): return "module has \(n) \(kind) segments, over the limit of \(l)"
        case .tooManyLocals(let f, let n, let l): return "function \(f) declares \(n) locals or more, over the limit of \(l)"
        case .deadlineExceeded(let ms): return "subtask was abandoned after its \(ms) ms wall-clock bound"
        case .sandboxBusy(let n): return "\(n) abandoned subtasks are still running out their fuel; not starting another"
        }
    }
}

extension WorkError {
    /// The run was stopped by this node's wall-clock bound, not by anything the subtask computes:
    /// it says nothing about the subtask's result.
    public var isLocalBound: Bool {
        switch self {
        case .deadlineExceeded, .sandboxBusy: return true
        default: return false
        }
    }
}
