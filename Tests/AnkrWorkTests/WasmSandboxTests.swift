import AnkrPrimitives
import AnkrSandbox
import AnkrWork
import Foundation
import WAT
import XCTest

final class WasmSandboxTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func example(_ name: String) throws -> WorkModule {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Examples/work/\(name).wat"), encoding: .utf8)
        return try WorkModule(bytes: try wat2wasm(text))
    }

    func input(passes: UInt32, data: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: passes.littleEndian) { Array($0) } + data
    }

    /// FNV-1a-64 computed here, to check the module does the work it claims.
    func fnvChain(passes: Int, data: [UInt8]) -> [UInt8] {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for _ in 0..<passes { for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
        return withUnsafeBytes(of: h.littleEndian) { Array($0) }
    }

    func testSameSubtaskSameFuelAndOutputAcrossSandboxes() throws {
        let module = try example("fnv-chain")
        let data = Array("useful work".utf8)
        let a = try WasmSandbox().run(module, input: input(passes: 50, data: data), fuel: 10_000_000)
        let b = try WasmSandbox().run(module, input: input(passes: 50, data: data), fuel: 10_000_000)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.output, fnvChain(passes: 50, data: data))
        XCTAssertGreaterThan(a.fuelUsed, 50 * UInt64(data.count) * 5)
        // More work costs proportionally more fuel.
        let c = try WasmSandbox().run(module, input: input(passes: 100, data: data), fuel: 10_000_000)
        XCTAssertGreaterThan(c.fuelUsed, a.fuelUsed + a.fuelUsed / 2)
    }

    func testFuelBudgetIsEnforced() throws {
        let module = try example("fnv-chain")
        let need = try WasmSandbox().run(module, input: input(passes: 20, data: [1, 2, 3]), fuel: .max / 2).fuelUsed
        XCTAssertNoThrow(try WasmSandbox().run(module, input: input(passes: 20, data: [1, 2, 3]), fuel: need))
        XCTAssertThrowsError(try WasmSandbox().run(module, input: input(passes: 20, data: [1, 2, 3]), fuel: need - 1)) {
            XCTAssertEqual($0 as? WorkError, .outOfFuel(limit: need - 1))
        }
        let spin = try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "run") (param i32 i32) (result i64) (loop $l (br $l)) (i64.const 0)))
            """))
        XCTAssertThrowsError(try WasmSandbox().run(spin, input: [], fuel: 100_000)) { XCTAssertEqual($0 as? WorkError, .outOfFuel(limit: 100_000)) }
    }

    func testModulesOutsideTheABIAreRefused() throws {
        XCTAssertThrowsError(try WorkModule(bytes: [0, 1, 2, 3])) { XCTAssertEqual($0 as? WorkError, .notWebAssembly) }
        XCTAssertThrowsError(try WorkModule(bytes: try wat2wasm("""
            (module (import "env" "clock" (func (result i64))) (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "run") (param i32 i32) (result i64) (i64.const 0)))
            """))) { XCTAssertEqual($0 as? WorkError, .hasImports(["env.clock"])) }
        XCTAssertThrowsError(try WorkModule(bytes: try wat2wasm("(module (memory (export \"memory\") 1))"))) {
            XCTAssertEqual($0 as? WorkError, .missingExport("alloc"))
        }
        let wrongSignature = try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "run") (param i32) (result i32) (i32.const 0)))
            """))
        XCTAssertThrowsError(try WasmSandbox().run(wrongSignature, input: [], fuel: 1000)) {
            XCTAssertEqual($0 as? WorkError, .missingExport("run(i32, i32) -> i64"))
        }
        let lies = try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "run") (param i32 i32) (result i64) (i64.const 0x0000fff000000100)))
            """))
        XCTAssertThrowsError(try WasmSandbox().run(lies, input: [], fuel: 1000)) { guard case .badResult = $0 as? WorkError else { return XCTFail("\($0)") } }
    }

    func testMemoryIsCapped() throws {
        var limits = WasmSandbox.Limits()
        limits.maxMemoryBytes = 4 << 20
        let module = try example("fnv-chain")
        // 8 MiB of input needs more memory than the cap allows: the module's alloc traps.
        XCTAssertThrowsError(try WasmSandbox(limits: limits).run(module, input: input(passes: 1, data: [UInt8](repeating: 1, count: 8 << 20)), fuel: .max / 2)) {
            guard case .trap = $0 as? WorkError else { return XCTFail("\($0)") }
        }
        XCTAssertNoThrow(try WasmSandbox(limits: limits).run(module, input: input(passes: 1, data: [UInt8](repeating: 1, count: 1 << 20)), fuel: .max / 2))
    }
}

/// The other example workloads compute what they claim.
final class ExampleWorkloadTests: XCTestCase {
    func module(_ name: String) throws -> WorkModule {
        let text = try String(contentsOf: WasmSandboxTests.root.appendingPathComponent("Examples/work/\(name).wat"), encoding: .utf8)
        return try WorkModule(bytes: try wat2wasm(text))
    }

    func le(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    func testMatrixMultiplyMatchesASwiftReference() throws {
        let n = 12, seed: UInt32 = 7
        var s = seed | 1
        func next() -> Int32 {
            s ^= s << 13; s ^= s >> 17; s ^= s << 5
            return Int32(s & 0xff)
        }
        let a = (0..<(n * n)).map { _ in next() }, b = (0..<(n * n)).map { _ in next() }
        var expected = [UInt8]()
        for i in 0..<n {
            for j in 0..<n {
                var sum: Int32 = 0
                for k in 0..<n { sum = sum &+ a[i * n + k] &* b[k * n + j] }
                expected += withUnsafeBytes(of: sum.littleEndian) { Array($0) }
            }
        }
        let result = try WasmSandbox().run(try module("matmul"), input: le(UInt32(n)) + le(seed), fuel: 100_000_000)
        XCTAssertEqual(result.output, expected)
    }

    func testSieveCountsPrimes() throws {
        let sieve = try module("sieve")
        for (n, primes) in [(10, 4), (100, 25), (100_000, 9592)] {
            let result = try WasmSandbox().run(sieve, input: le(UInt32(n)), fuel: 100_000_000)
            XCTAssertEqual(result.output, le(UInt32(primes)), "primes below \(n)")
        }
    }
}
