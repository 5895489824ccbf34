import AnkrPrimitives
import AnkrSandbox

/// A `WorkError` on the enclave socket: `[case number, associated values...]`, so the node gets
/// back exactly the error the enclave's sandbox threw (a local bound stays a local bound).
extension WorkError {
    var wire: RLPItem {
        func n(_ v: Int) -> RLPItem { .uint(UInt64(clamping: v)) }
        func n(_ v: UInt64) -> RLPItem { .uint(v) }
        func t(_ s: String) -> RLPItem { .bytes(Array(s.utf8)) }
        let fields: [RLPItem]
        switch self {
        case .invalidModule(let why): fields = [n(0), t(why)]
        case .hasImports(let names): fields = [n(1), .list(names.map(t))]
        case .missingExport(let name): fields = [n(2), t(name)]
        case .outOfFuel(let limit): fields = [n(3), n(limit)]
        case .trap(let why): fields = [n(4), t(why)]
        case .badResult(let why): fields = [n(5), t(why)]
        case .inputTooLarge(let c, let l): fields = [n(6), n(c), n(l)]
        case .outputTooLarge(let c, let l): fields = [n(7), n(c), n(l)]
        case .hasStartFunction: fields = [n(8)]
        case .moduleTooLarge(let c, let l): fields = [n(9), n(c), n(l)]
        case .notWebAssembly: fields = [n(10)]
        case .truncatedModule(let o): fields = [n(11), n(o)]
        case .oversizedInteger(let o): fields = [n(12), n(o)]
        case .countExceedsSection(let c, let o): fields = [n(13), n(c), n(o)]
        case .unknownSection(let id, let o): fields = [n(14), n(Int(id)), n(o)]
        case .sectionOverrunsModule(let id, let o, let s): fields = [n(15), n(Int(id)), n(o), n(s)]
        case .tooManyMemories(let l): fields = [n(16), n(l)]
        case .memoryTooLarge(let p, let l): fields = [n(17), n(p), n(l)]
        case .tooManyTables(let l): fields = [n(18), n(l)]
        case .unsupportedTable(let type, let o): fields = [n(19), n(Int(type)), n(o)]
        case .tablesTooLarge(let e, let l): fields = [n(20), n(e), n(l)]
        case .unsupportedLimits(let kind, let flags, let o): fields = [n(21), t(kind), n(Int(flags)), n(o)]
        case .tooManySegments(let kind, let c, let l): fields = [n(22), t(kind), n(c), n(l)]
        case .tooManyLocals(let f, let c, let l): fields = [n(23), n(f), n(c), n(l)]
        case .deadlineExceeded(let ms): fields = [n(24), n(UInt64(clamping: ms))]
        case .sandboxBusy(let runs): fields = [n(25), n(runs)]
        }
        return .list(fields)
    }

    init(wire f: inout WireFields) throws(EnclaveWireError) {
        func byte(_ field: String) throws(EnclaveWireError) -> UInt8 {
            let v = try f.uint64(field)
            guard let b = UInt8(exactly: v) else { throw .fieldTooLarge(field: field, count: Int(clamping: v), limit: 255) }
            return b
        }
        let tag = try f.uint64("case")
        switch tag {
        case 0: self = .invalidModule(try f.text("reason"))
        case 1:
            var names = try f.list("imports")
            var all: [String] = []
            while !names.items.isEmpty { all.append(try names.text("import")) }
            self = .hasImports(all)
        case 2: self = .missingExport(try f.text("export"))
        case 3: self = .outOfFuel(limit: try f.uint64("limit"))
        case 4: self = .trap(try f.text("reason"))
        case 5: self = .badResult(try f.text("reason"))
        case 6: self = .inputTooLarge(try f.int("count"), limit: try f.int("limit"))
        case 7: self = .outputTooLarge(try f.int("count"), limit: try f.int("limit"))
        case 8: self = .hasStartFunction
        case 9: self = .moduleTooLarge(try f.int("count"), limit: try f.int("limit"))
        case 10: self = .notWebAssembly
        case 11: self = .truncatedModule(offset: try f.int("offset"))
        case 12: self = .oversizedInteger(offset: try f.int("offset"))
        case 13: self = .countExceedsSection(count: try f.uint64("count"), offset: try f.int("offset"))
        case 14: self = .unknownSection(id: try byte("id"), offset: try f.int("offset"))
        case 15: self = .sectionOverrunsModule(id: try byte("id"), offset: try f.int("offset"), size: try f.int("size"))
        case 16: self = .tooManyMemories(limit: try f.int("limit"))
        case 17: self = .memoryTooLarge(pages: try f.uint64("pages"), limit: try f.uint64("limit"))
        case 18: self = .tooManyTables(limit: try f.int("limit"))
        case 19: self = .unsupportedTable(type: try byte("type"), offset: try f.int("offset"))
        case 20: self = .tablesTooLarge(elements: try f.uint64("elements"), limit: try f.uint64("limit"))
        case 21: self = .unsupportedLimits(kind: try f.text("kind"), flags: try byte("flags"), offset: try f.int("offset"))
        case 22: self = .tooManySegments(kind: try f.text("kind"), count: try f.int("count"), limit: try f.int("limit"))
        case 23: self = .tooManyLocals(function: try f.int("function"), count: try f.uint64("count"), limit: try f.uint64("limit"))
        case 24:
            let ms = try f.uint64("milliseconds")
            guard let v = Int64(exactly: ms) else { throw .fieldTooLarge(field: "milliseconds", count: Int(clamping: ms), limit: Int.max) }
            self = .deadlineExceeded(milliseconds: v)
        case 25: self = .sandboxBusy(abandonedRuns: try f.int("abandoned runs"))
        default: throw .unknownKind(message: "work error", kind: tag)
        }
    }
}
