import AnkrPrimitives
import AnkrSandbox
import AnkrWork
import Foundation
import WAT
import XCTest

/// Issue 17: a wall-clock bound on top of fuel. A caller stops waiting at its deadline; fuel alone
/// decides results, so a bounded run returns exactly what an unbounded one does.
final class SandboxDeadlineTests: XCTestCase {
    static func spin() throws -> WorkModule {
        try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "run") (param i32 i32) (result i64) (loop $l (br $l)) (i64.const 0)))
            """))
    }

    /// Fuel the spin loop burns per second here, measured once (it sizes the runaway runs below).
    static let fuelPerSecond: UInt64 = {
        let fuel: UInt64 = 20_000_000
        let started = ContinuousClock.now
        _ = try? WasmSandbox().run(try spin(), input: [], fuel: fuel)
        let seconds = max((ContinuousClock.now - started).seconds, 0.001)
        print("WasmKit spin loop: \(Int(Double(fuel) / seconds / 1e6)) M fuel/s")
        return UInt64(Double(fuel) / seconds)
    }()

    func testARunPastItsDeadlineIsAbandonedPromptly() throws {
        let spin = try Self.spin()
        // About 4 s of fuel, abandoned after 100 ms.
        let fuel = Self.fuelPerSecond * 4
        let started = ContinuousClock.now
        XCTAssertThrowsError(try WasmSandbox().run(spin, input: [], fuel: fuel, deadline: .milliseconds(100))) {
            XCTAssertEqual($0 as? WorkError, .deadlineExceeded(milliseconds: 100))
        }
        let took = ContinuousClock.now - started
        XCTAssertLessThan(took, .milliseconds(1_500), "returned after \(took), not when the fuel ran out")
        XCTAssertTrue(WorkError.deadlineExceeded(milliseconds: 100).isLocalBound)
        XCTAssertFalse(WorkError.outOfFuel(limit: 1).isLocalBound)
    }

    func testABoundedRunGivesTheSameFuelAndOutputAsAnUnboundedOne() throws {
        let text = try String(contentsOf: WasmSandboxTests.root.appendingPathComponent("Examples/work/fnv-chain.wat"), encoding: .utf8)
        let module = try WorkModule(bytes: try wat2wasm(text))
        let input = withUnsafeBytes(of: UInt32(40).littleEndian) { Array($0) } + Array("same everywhere".utf8)
        let sandbox = WasmSandbox()
        XCTAssertEqual(try sandbox.run(module, input: input, fuel: 10_000_000, deadline: .seconds(30)),
                       try sandbox.run(module, input: input, fuel: 10_000_000))
        // Errors the subtask computes come through unchanged.
        XCTAssertThrowsError(try sandbox.run(module, input: input, fuel: 100, deadline: .seconds(30))) {
            XCTAssertEqual($0 as? WorkError, .outOfFuel(limit: 100))
        }
    }

    func testAbandonedRunsAreCappedAndTheSandboxRecoversWhenTheirFuelEnds() throws {
        let spin = try Self.spin()
        let sandbox = WasmSandbox()
        let fuel = Self.fuelPerSecond  // about a second each
        for _ in 0..<WasmSandbox.maxAbandonedRuns {
            XCTAssertThrowsError(try sandbox.run(spin, input: [], fuel: fuel, deadline: .milliseconds(20))) {
                XCTAssertEqual($0 as? WorkError, .deadlineExceeded(milliseconds: 20))
            }
        }
        XCTAssertThrowsError(try sandbox.run(spin, input: [], fuel: 1, deadline: .seconds(1))) {
            XCTAssertEqual($0 as? WorkError, .sandboxBusy(abandonedRuns: WasmSandbox.maxAbandonedRuns))
        }
        // Fuel ends the abandoned runs; then the sandbox takes work again.
        let until = ContinuousClock.now + .seconds(60)
        var outcome: Result<SubtaskResult, any Error>
        repeat {
            Thread.sleep(forTimeInterval: 0.1)
            outcome = Result { try sandbox.run(spin, input: [], fuel: 1_000, deadline: .seconds(5)) }
        } while (outcome.error as? WorkError)?.isLocalBound == true && ContinuousClock.now < until
        XCTAssertEqual(outcome.error as? WorkError, .outOfFuel(limit: 1_000))
    }

    func testTheDeadlineGrowsWithTheFuelBudget() {
        let d = SubtaskDeadline(base: .seconds(2), slowestFuelPerSecond: 5_000_000)
        XCTAssertEqual(d.duration(forFuel: 0), .seconds(2))
        XCTAssertEqual(d.duration(forFuel: 50_000_000), .seconds(12))
        XCTAssertEqual(d.duration(forFuel: 2_500_000), .milliseconds(2_500))
        // Extreme inputs saturate instead of trapping.
        XCTAssertGreaterThan(SubtaskDeadline(base: .zero, slowestFuelPerSecond: 1).duration(forFuel: .max), .seconds(1 << 62))
        XCTAssertEqual(SubtaskDeadline(base: .zero, slowestFuelPerSecond: 0).slowestFuelPerSecond, 1)
    }
}

private extension Result {
    var error: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
