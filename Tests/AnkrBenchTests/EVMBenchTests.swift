import AnkrPrimitives
import Foundation
import XCTest

/// `ankr-bench evm --revm` runs every workload in revm (pyrevm) beside Ankr and insists the gas agrees
/// (timings are not asserted).
final class EVMBenchTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let workloads = ["arithmetic loop", "keccak loop", "storage writes", "ERC-20 transfers", "call-heavy", "memory-heavy", "bn254 pairings"]

    func testEveryWorkloadRunsInRevmWithTheSameGas() throws {
        let python = Self.root.appendingPathComponent(".venv-e2e/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no .venv-e2e (make test installs it)") }
        let run = try BenchRunner.run(["evm", "--iterations", "200", "--rounds", "1", "--revm", python, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = try XCTUnwrap(try JSON(parsing: run.stdout).array)
        XCTAssertEqual(rows.compactMap { $0["workload"]?.string }, Self.workloads)
        for row in rows {
            XCTAssertGreaterThan(try XCTUnwrap(row["revm_mgas_per_second"]?.double), 0)
            XCTAssertGreaterThan(try XCTUnwrap(row["ankr_over_revm"]?.double), 0)
            XCTAssertNil(row["revm_gas_used"], "revm's gas differs on \(row["workload"]?.string ?? "?")")
        }
    }

    /// A stand-in worker that reports the same gas for every run, so each workload's execution gas comes out as 0.
    func testGasThatDiffersIsShownPerRowAndFailsTheRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evmbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let worker = dir.appendingPathComponent("worker")
        try "#!/bin/sh\nwhile read line; do echo '{\"gasUsed\": 21000, \"seconds\": 0.001, \"error\": null}'; done\n"
            .write(to: worker, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: worker.path)
        let run = try BenchRunner.run(["evm", "--iterations", "200", "--rounds", "1", "--revm", worker.path])
        XCTAssertEqual(run.status, 1)
        let lines = run.stdout.split(separator: "\n")
        for name in Self.workloads {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix(name) }, run.stdout)
            XCTAssertTrue(line.contains("gas differs: revm 0, Ankr "), String(line))
        }
        XCTAssertTrue(run.stderr.contains("revm and Ankr used different gas on: arithmetic loop"), run.stderr)
    }

    func testARevmThatDoesNotRunIsNamed() throws {
        let run = try BenchRunner.run(["evm", "--iterations", "200", "--rounds", "1", "--revm", "/bin/false"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("the revm baseline did not run (is pyrevm 0.3.7 installed for /bin/false?)"), run.stderr)
        XCTAssertEqual(try BenchRunner.run(["evm", "--rounds", "0"]).status, 1)
    }
}
