import AnkrPrimitives
import AnkrSandbox
import AnkrTestSupport
import AnkrWork
import Foundation
import WAT
import XCTest

/// Issue 17: what a module makes WasmKit do at instantiation (before any fuel budget) is refused
/// or bounded at admission, and hostile bytes are a typed error, never a trap or a hang.
final class ModuleAdmissionTests: XCTestCase {
    static let abi = """
        (func (export "alloc") (param i32) (result i32) (i32.const 0))
        (func (export "run") (param i32 i32) (result i64) (i64.const 0))
        """

    /// A module whose start function never returns: instantiating it used to hang the caller.
    static func loopingStart() throws -> [UInt8] {
        try wat2wasm("""
            (module (memory (export "memory") 1) \(abi)
              (func $spin (loop $l (br $l)))
              (start $spin))
            """)
    }

    func admit(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> WorkError? {
        do {
            _ = try WorkModule(bytes: bytes)
            return nil
        } catch {
            guard let e = error as? WorkError else { XCTFail("\(error) is not a WorkError", file: file, line: line); return nil }
            return e
        }
    }

    /// The 8-byte header followed by one section.
    func module(section id: UInt8, _ body: [UInt8]) -> [UInt8] {
        [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, id] + leb(UInt32(body.count)) + body
    }

    func leb(_ value: UInt32) -> [UInt8] {
        var v = value, out = [UInt8]()
        repeat {
            var b = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    func testALoopingStartFunctionIsRefusedBeforeInstantiationAndPromptly() throws {
        let bytes = try Self.loopingStart()
        let started = ContinuousClock.now
        XCTAssertEqual(admit(bytes), .hasStartFunction)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
        // Even a start function that would return is refused: it runs outside the subtask's fuel.
        let harmless = try wat2wasm("(module (memory (export \"memory\") 1) \(Self.abi) (func $s) (start $s))")
        XCTAssertEqual(admit(harmless), .hasStartFunction)
        XCTAssertTrue(WorkError.hasStartFunction.description.contains("start function"))
    }

    func testInstantiationSizesAreBoundedAtAdmission() throws {
        let ok = try wat2wasm("(module (memory (export \"memory\") 1024) (table 65536 funcref) \(Self.abi))")
        XCTAssertNil(admit(ok), "the bounds themselves are admitted")
        XCTAssertEqual(admit(try wat2wasm("(module (memory (export \"memory\") 1025) \(Self.abi))")),
                       .memoryTooLarge(pages: 1025, limit: ModuleAdmission.maxMemoryPages))
        XCTAssertEqual(admit(try wat2wasm("(module (memory (export \"memory\") 65536) \(Self.abi))")),
                       .memoryTooLarge(pages: 65536, limit: ModuleAdmission.maxMemoryPages))
        XCTAssertEqual(admit(try wat2wasm("(module (memory (export \"memory\") 1) (table 4294967295 funcref) \(Self.abi))")),
                       .tablesTooLarge(elements: 4_294_967_295, limit: ModuleAdmission.maxTableElements))
        // Many tables whose minimums each pass still add up.
        let tables = String(repeating: "(table 20000 funcref) ", count: 4)
        XCTAssertEqual(admit(try wat2wasm("(module (memory (export \"memory\") 1) \(tables) \(Self.abi))")),
                       .tablesTooLarge(elements: 80_000, limit: ModuleAdmission.maxTableElements))
        let many = String(repeating: "(table 0 funcref) ", count: 17)
        XCTAssertEqual(admit(try wat2wasm("(module (memory (export \"memory\") 1) \(many) \(Self.abi))")),
                       .tooManyTables(limit: ModuleAdmission.maxTables))
        // Shared (threads) and 64-bit memories, hand-assembled since the default features refuse them in WAT.
        XCTAssertEqual(admit(module(section: 5, [0x01, 0x03, 0x01, 0x01])), .unsupportedLimits(kind: "memory", flags: 3, offset: 11))
        XCTAssertEqual(admit(module(section: 5, [0x01, 0x04, 0x01])), .unsupportedLimits(kind: "memory", flags: 4, offset: 11))
        XCTAssertEqual(admit(module(section: 5, [0x02, 0x00, 0x01, 0x00, 0x01])), .tooManyMemories(limit: 1))
        // Data segments: each costs work at instantiation, so their number is bounded too.
        let segments = 1025
        XCTAssertEqual(admit(module(section: 11, leb(UInt32(segments)) + [UInt8](repeating: 0, count: 2 * segments))),
                       .tooManySegments(kind: "data", count: segments, limit: ModuleAdmission.maxDataSegments))
        XCTAssertEqual(admit(module(section: 9, leb(UInt32(segments)) + [UInt8](repeating: 0, count: 2 * segments))),
                       .tooManySegments(kind: "element", count: segments, limit: ModuleAdmission.maxElementSegments))
        XCTAssertEqual(admit([UInt8](repeating: 0, count: ModuleAdmission.maxModuleBytes + 1)),
                       .moduleTooLarge(ModuleAdmission.maxModuleBytes + 1, limit: ModuleAdmission.maxModuleBytes))
    }

    func testWorkThatOneFuelUnitCannotPayForIsRefused() throws {
        // A call zeroes the callee's whole frame for one fuel unit: locals are bounded per function.
        func declaring(_ n: Int) throws -> [UInt8] {
            try wat2wasm("(module (memory (export \"memory\") 1) \(Self.abi) (func (local \(String(repeating: "i64 ", count: n)))))")
        }
        XCTAssertNil(admit(try declaring(Int(ModuleAdmission.maxLocalsPerFunction))))
        XCTAssertEqual(admit(try declaring(Int(ModuleAdmission.maxLocalsPerFunction) + 1)),
                       .tooManyLocals(function: 2, count: ModuleAdmission.maxLocalsPerFunction + 1, limit: ModuleAdmission.maxLocalsPerFunction))
        // One declaration of 50,000 locals in four bytes.
        let body: [UInt8] = [0x01] + leb(50_000) + [0x7e, 0x0b]
        XCTAssertEqual(admit(module(section: 10, [0x01] + leb(UInt32(body.count)) + body)),
                       .tooManyLocals(function: 0, count: 50_000, limit: ModuleAdmission.maxLocalsPerFunction))
    }

    func testHostileBytesAreTypedErrors() throws {
        XCTAssertEqual(admit([]), .truncatedModule(offset: 0))
        XCTAssertEqual(admit([0x00, 0x61, 0x73]), .truncatedModule(offset: 3))
        XCTAssertEqual(admit([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]), .notWebAssembly)
        let header: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
        // A section size in six LEB128 bytes, and one whose fifth byte carries more than 32 bits.
        XCTAssertEqual(admit(header + [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), .oversizedInteger(offset: 9))
        XCTAssertEqual(admit(header + [0x01, 0xff, 0xff, 0xff, 0xff, 0x10]), .oversizedInteger(offset: 9))
        // A section that claims 4 GiB, and a size cut off mid-integer.
        XCTAssertEqual(admit(header + [0x01, 0xff, 0xff, 0xff, 0xff, 0x0f]), .sectionOverrunsModule(id: 1, offset: 8, size: 0xffff_ffff))
        XCTAssertEqual(admit(header + [0x01, 0x80]), .truncatedModule(offset: 10))
        XCTAssertEqual(admit(header + [0x0e, 0x00]), .unknownSection(id: 14, offset: 8))
        // A vector of 2^32 − 1 memories in a 6-byte section.
        XCTAssertEqual(admit(module(section: 5, [0xff, 0xff, 0xff, 0xff, 0x0f, 0x00])), .countExceedsSection(count: 0xffff_ffff, offset: 10))
        // A memory whose limits run past the end of their section (though not of the module).
        XCTAssertEqual(admit(module(section: 5, [0x01, 0x01, 0x01]) + [0x00, 0x00]), .truncatedModule(offset: 13))
        // A start section hidden after a malformed custom section is still found or the bytes refused.
        XCTAssertNotNil(admit(header + [0x00, 0x03, 0x01, 0x61] + [0x08, 0x01, 0x00]))
    }

    func testEveryPrefixAndMutationOfAModuleIsAnErrorNeverATrap() throws {
        let text = try String(contentsOf: WasmSandboxTests.root.appendingPathComponent("Examples/work/fnv-chain.wat"), encoding: .utf8)
        let good = try wat2wasm(text)
        XCTAssertNil(admit(good))
        for length in 0..<good.count { XCTAssertNotNil(admit(Array(good.prefix(length))), "prefix of \(length) bytes") }
        var rng = SplitMix64(seed: 17)
        var admitted = 0
        for _ in 0..<3_000 {
            var bytes = good
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            if admit(bytes) == nil { admitted += 1 }
        }
        XCTAssertLessThan(admitted, 3_000, "mutations must be able to fail")
    }
}
