/// The checks a module passes before WasmKit parses or instantiates it, so that instantiation
/// does bounded work and runs no guest code (instantiation happens before the fuel budget is set).
///
/// It reads the top-level section layout itself, with a reader that throws on every truncated or
/// over-long field, and refuses:
/// - a `start` section: its function would run at instantiation, outside the subtask's fuel;
/// - a module over ``maxModuleBytes``;
/// - more than ``maxMemories`` memory, a memory minimum over ``maxMemoryPages``, and shared or
///   64-bit memories (whose flags the sandbox's feature set does not enable);
/// - more than ``maxTables`` tables, or table minimums that sum past ``maxTableElements``;
/// - more than ``maxDataSegments`` data or ``maxElementSegments`` element segments.
/// Everything else instantiation does (types, functions, globals, exports, each data byte and
/// table element) is written out in the module's bytes, so it is linear in ``maxModuleBytes``;
/// imports are refused by ``WorkModule``.
public enum ModuleAdmission {
    /// Bytes of a module; the WorkMarket's own limit (32 KiB) is far below.
    public static let maxModuleBytes = 1 << 20
    public static let maxMemories = 1
    /// 1024 pages of 64 KiB: the sandbox's default memory cap, so the initial allocation is bounded.
    public static let maxMemoryPages: UInt64 = 1024
    public static let maxTables = 16
    /// The table-growth cap the sandbox applies at run time, now also on the declared minimums.
    public static let maxTableElements: UInt64 = 1 << 16
    public static let maxDataSegments = 1024
    public static let maxElementSegments = 1024
    /// Locals a function may declare: WasmKit zeroes a callee's whole frame on every `call`, one fuel
    /// unit however large the frame, so an unbounded count would buy ~400 KB of copying per fuel.
    public static let maxLocalsPerFunction: UInt64 = 1024

    private static let startSection: UInt8 = 8
    private static let lastKnownSection: UInt8 = 13  // the tag section of exception handling

    /// Throws the first reason `bytes` may not be admitted.
    public static func check(_ bytes: [UInt8]) throws(WorkError) {
        guard bytes.count <= maxModuleBytes else { throw .moduleTooLarge(bytes.count, limit: maxModuleBytes) }
        var reader = WasmByteReader(bytes)
        for expected: UInt8 in [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] {
            guard try reader.byte() == expected else { throw .notWebAssembly }
        }
        var memories = 0, tables = 0
        var tableElements: UInt64 = 0
        while !reader.isAtEnd {
            let sectionAt = reader.offset
            let id = try reader.byte()
            guard id <= lastKnownSection else { throw .unknownSection(id: id, offset: sectionAt) }
            let size = Int(try reader.u32())
            guard size <= reader.remaining else { throw .sectionOverrunsModule(id: id, offset: sectionAt, size: size) }
            var section = WasmByteReader(bytes, from: reader.offset, end: reader.offset + size)
            try reader.skip(size)
            switch id {
            case startSection:
                throw .hasStartFunction
            case 4:  // tables
                let n = try section.count()
                for _ in 0..<n {
                    tables += 1
                    guard tables <= maxTables else { throw .tooManyTables(limit: maxTables) }
                    let type = try section.byte()
                    guard type == 0x70 || type == 0x6f else { throw .unsupportedTable(type: type, offset: section.offset - 1) }
                    let (minimum, _) = try limits(&section, kind: "table")
                    tableElements += minimum  // at most 16 × 2^32, no overflow
                    guard tableElements <= maxTableElements else { throw .tablesTooLarge(elements: tableElements, limit: maxTableElements) }
                }
            case 5:  // memories
                let n = try section.count()
                for _ in 0..<n {
                    memories += 1
                    guard memories <= maxMemories else { throw .tooManyMemories(limit: maxMemories) }
                    let (minimum, _) = try limits(&section, kind: "memory")
                    guard minimum <= maxMemoryPages else { throw .memoryTooLarge(pages: minimum, limit: maxMemoryPages) }
                }
            case 9:  // element segments
                let n = try section.count()
                guard n <= maxElementSegments else { throw .tooManySegments(kind: "element", count: n, limit: maxElementSegments) }
            case 10:  // code: each body's local declarations
                let n = try section.count()
                for function in 0..<n {
                    let size = Int(try section.u32())
                    guard size <= section.remaining else { throw .sectionOverrunsModule(id: id, offset: section.offset, size: size) }
                    let bodyEnd = section.offset + size
                    var locals: UInt64 = 0
                    let declarations = try section.count()
                    for _ in 0..<declarations {
                        locals += UInt64(try section.u32())  // at most 2^32 declarations of 2^32 − 1 each: no overflow
                        _ = try section.byte()
                        guard locals <= maxLocalsPerFunction else {
                            throw .tooManyLocals(function: function, count: locals, limit: maxLocalsPerFunction)
                        }
                    }
                    try section.skip(bodyEnd - section.offset)
                }
            case 11:  // data segments
                let n = try section.count()
                guard n <= maxDataSegments else { throw .tooManySegments(kind: "data", count: n, limit: maxDataSegments) }
            default:
                break
            }
        }
    }

    /// Limits with flag 0 (minimum) or 1 (minimum, maximum); other flags mean shared or 64-bit.
    private static func limits(_ reader: inout WasmByteReader, kind: String) throws(WorkError) -> (UInt64, UInt64?) {
        let at = reader.offset
        let flags = try reader.byte()
        guard flags <= 1 else { throw .unsupportedLimits(kind: kind, flags: flags, offset: at) }
        let minimum = UInt64(try reader.u32())
        return (minimum, flags == 1 ? UInt64(try reader.u32()) : nil)
    }
}
