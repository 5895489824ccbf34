import AnkrPrimitives
import Foundation
import XCTest

/// Every `ankr-bench` benchmark runs end to end on a small scale and reports its figures with their
/// baselines (timings are not asserted; `make bench` reports them).
final class BenchCommandTests: XCTestCase {
    /// The `--json` output of a successful run.
    func run(_ args: [String]) throws -> JSON {
        let run = try BenchRunner.run(args)
        XCTAssertEqual(run.status, 0, run.stderr)
        return try JSON(parsing: run.stdout)
    }

    func testPrimitivesBenchReportsEveryRowWithABaseline() throws {
        let rows = try XCTUnwrap(try run(["primitives", "--scale", "0.001", "--json"]).array)
        XCTAssertEqual(rows.count, 6)
        for row in rows {
            XCTAssertGreaterThan(try XCTUnwrap(row["ours_seconds"]?.double), 0)
            XCTAssertGreaterThan(try XCTUnwrap(row["baseline_seconds"]?.double), 0)
            XCTAssertFalse(try XCTUnwrap(row["baseline"]?.string).isEmpty)
        }
    }

    func testChainBenchImportsEveryTransaction() throws {
        let r = try run(["chain", "--accounts", "50", "--transactions", "120", "--erc20-transactions", "40", "--runs", "1", "--json"])
        XCTAssertEqual(r["transactions"]?.int, 120)
        XCTAssertGreaterThan(try XCTUnwrap(r["tx_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["ceiling_recoveries_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["share_of_ceiling"]?.double), 0)
        XCTAssertEqual(r["erc20_transactions"]?.int, 40)
        // Every ERC-20 transfer executed the token's code: more gas than a plain transfer.
        XCTAssertGreaterThan(try XCTUnwrap(r["erc20_mgas_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["erc20_mgas_per_second"]?.double) * 1e6 / 21_000,
                             try XCTUnwrap(r["erc20_tx_per_second"]?.double))
    }

    func testP2PBenchSyncsAndPropagates() throws {
        let r = try run(["p2p", "--blocks", "60", "--rounds", "3", "--json"])
        XCTAssertEqual(r["sync_blocks"]?.int, 60)
        XCTAssertEqual(r["mesh_peers"]?.int, 3)
        XCTAssertGreaterThan(try XCTUnwrap(r["propagation_median_ms"]?.double), 0)
    }

    func testWorkBenchMeasuresEveryExample() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/work").path
        let rows = try XCTUnwrap(try run(["work", "--scale", "0.005", "--examples", examples, "--json"]).array)
        // Three WAT examples and three built from C.
        XCTAssertEqual(rows.compactMap { $0["module"]?.string }.sorted(),
                       ["fnv-chain.wat", "matmul.wat", "sieve.wat", "wasm/matmul.wasm", "wasm/regression.wasm", "wasm/sha3.wasm"])
        XCTAssertTrue(rows.allSatisfy { ($0["fuel"]?.int ?? 0) > 0 })
    }

    func testPlasmaBenchBuildsABlockAndValidates() throws {
        let r = try run(["plasma", "--transactions", "64", "--runs", "1", "--json"])
        XCTAssertEqual(r["transactions"]?.int, 64)
        // One call per transaction also from as many threads as the RPC server runs calls at once
        // (two heavy calls per core and the usual threads besides).
        let callers = try XCTUnwrap(r["operator_one_by_one_rpc_callers"]?.int)
        XCTAssertGreaterThan(callers, Int64(2 * ProcessInfo.processInfo.activeProcessorCount))
        XCTAssertGreaterThan(try XCTUnwrap(r["operator_one_by_one_rpc_tx_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["validated_tx_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["root_seconds"]?.double), 0)
    }

    func testPoUWBenchMinesAndValidates() throws {
        let r = try run(["pouw", "--blocks", "2", "--difficulty", "1000000", "--json"])
        XCTAssertEqual(r["blocks"]?.int, 2)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(r["subtasks"]?.int), 2)
        XCTAssertGreaterThan(try XCTUnwrap(r["useful_fraction"]?.double), 0)
    }

    func testRPCBenchServesBothMethods() throws {
        let r = try run(["rpc", "--seconds", "0.3", "--connections", "2", "--json"])
        XCTAssertGreaterThan(try XCTUnwrap(r["eth_getBalance_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["web3_clientVersion_per_second"]?.double), 0)
    }

    func testEVMBenchRunsEveryWorkloadWithoutPyEVM() throws {
        let rows = try XCTUnwrap(try run(["evm", "--iterations", "200", "--json"]).array)
        XCTAssertEqual(rows.count, 7)
        for row in rows {
            XCTAssertGreaterThan(try XCTUnwrap(row["gasUsed"]?.int), 0)
            XCTAssertGreaterThan(try XCTUnwrap(row["ankr_mgas_per_second"]?.double), 0)
            XCTAssertNil(row["speedup"], "no py-evm baseline was asked for")
        }
    }

    func testAssetsBenchServesTheRESTReadAndItsBaselines() throws {
        let r = try run(["assets", "--seconds", "0.3", "--connections", "2", "--history", "2", "--json"])
        XCTAssertGreaterThan(try XCTUnwrap(r["get_asset_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["eth_call_asset_per_second"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["web3_clientVersion_per_second"]?.double), 0)
    }

    func testDCAPBenchVerifiesTheRealQuoteAgainstDCAPQVL() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let vectors = root.deletingLastPathComponent().appendingPathComponent("shared/vectors/sgx")
        let python = root.appendingPathComponent(".venv-e2e/bin/python").path
        let r = try run(["dcap", "--quote", vectors.appendingPathComponent("sgx_quote").path,
                         "--collateral", vectors.appendingPathComponent("sgx_quote_collateral.json").path,
                         "--iterations", "5", "--python", python, "--json"])
        XCTAssertEqual(r["status"]?.string, "ConfigurationAndSWHardeningNeeded")
        XCTAssertGreaterThan(try XCTUnwrap(r["ankr_verify_seconds"]?.double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(r["ankr_collateral_parse_seconds"]?.double), 0)
        if FileManager.default.isExecutableFile(atPath: python) {
            XCTAssertGreaterThan(try XCTUnwrap(r["ratio"]?.double), 0)
        } else {
            XCTAssertNil(r["ratio"], "no dcap-qvl to compare with")
        }
    }

    func testABadOptionIsOneErrorLine() throws {
        let r = try BenchRunner.run(["chain", "--accounts", "1"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "ankr-bench: error: --accounts must be at least 2\n")
    }
}
