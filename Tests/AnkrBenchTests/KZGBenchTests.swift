import AnkrPrimitives
import Foundation
import XCTest

/// `ankr-bench kzg` times the point evaluation precompile and, given a Python with ckzg, C-KZG-4844 on
/// the same proof (timings are not asserted).
final class KZGBenchTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testKZGBenchTimesOursAndCKZG() throws {
        let python = Self.root.appendingPathComponent(".venv-e2e/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no .venv-e2e (make test installs it)") }
        let setup = Self.root.appendingPathComponent("Tests/e2e/kzg_trusted_setup.txt").path
        let run = try BenchRunner.run(["kzg", "--iterations", "1", "--ckzg", python, "--setup", setup, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let row = try JSON(parsing: run.stdout)
        XCTAssertGreaterThan(try XCTUnwrap(row["ankr_seconds"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(row["ckzg_seconds"]?.double), 0)
    }

    func testKZGBenchWithoutCKZGTimesOursOnly() throws {
        let run = try BenchRunner.run(["kzg", "--iterations", "1", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let row = try JSON(parsing: run.stdout)
        XCTAssertGreaterThan(try XCTUnwrap(row["ankr_seconds"]?.double), 0)
        XCTAssertNil(row["ckzg_seconds"])
    }

    func testKZGBenchNamesABaselineThatDidNotRun() throws {
        let run = try BenchRunner.run(["kzg", "--iterations", "1", "--ckzg", "/bin/false"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("the ckzg baseline did not run with /bin/false"), run.stderr)
        let zero = try BenchRunner.run(["kzg", "--iterations", "0"])
        XCTAssertEqual(zero.status, 1)
    }
}
