import AnkrPrimitives
import AnkrSandbox
import AnkrWork
import Crypto
import Foundation
import WAT
import XCTest

/// The C useful-work examples (Examples/work/c, built by scripts/build-work-examples into the
/// committed Examples/work/wasm): each computes what it claims, and the build reproduces them.
final class CExampleTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func module(_ name: String) throws -> WorkModule {
        try WorkModule(bytes: [UInt8](try Data(contentsOf: Self.repository.appendingPathComponent("Examples/work/wasm/\(name).wasm"))))
    }

    func le(_ values: UInt32...) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } } }

    func testSHA3ChainMatchesSwiftCrypto() throws {
        let sha3 = try module("sha3")
        // One block, an exact multiple of the rate (136 bytes), and several blocks.
        for data in [[], Array("abc".utf8), [UInt8](repeating: 0x61, count: 136), (0..<1000).map { UInt8($0 % 251) }] {
            var expected = Array(SHA3_256.hash(data: data))
            let once = try WasmSandbox().run(sha3, input: le(1) + data, fuel: 10_000_000)
            XCTAssertEqual(once.output, expected, "SHA3-256 of \(data.count) bytes")
            for _ in 1..<5 { expected = Array(SHA3_256.hash(data: expected)) }
            XCTAssertEqual(try WasmSandbox().run(sha3, input: le(5) + data, fuel: 10_000_000).output, expected)
        }
        XCTAssertThrowsError(try WasmSandbox().run(sha3, input: [1, 2], fuel: 10_000_000)) { error in
            guard case WorkError.trap = error else { return XCTFail("\(error)") }
        }
    }

    func testMatrixMultiplyInCMatchesTheWATModule() throws {
        let c = try module("matmul")
        let wat = try WorkModule(bytes: try wat2wasm(String(contentsOf: Self.repository.appendingPathComponent("Examples/work/matmul.wat"),
                                                            encoding: .utf8)))
        for (n, seed) in [(1, 1), (7, 99), (32, 12345)] as [(UInt32, UInt32)] {
            let a = try WasmSandbox().run(c, input: le(n, seed), fuel: 50_000_000)
            let b = try WasmSandbox().run(wat, input: le(n, seed), fuel: 50_000_000)
            XCTAssertEqual(a.output, b.output, "n = \(n)")
            XCTAssertEqual(a.output.count, Int(n * n * 4))
        }
    }

    func testRegressionLearnsTheLineItWasGivenDeterministically() throws {
        let regression = try module("regression")
        let input = le(2_000, 300, 7)
        let a = try WasmSandbox().run(regression, input: input, fuel: 100_000_000)
        XCTAssertEqual(a, try WasmSandbox().run(regression, input: input, fuel: 100_000_000), "same fuel and output every run")
        func q16(_ at: Int) -> Double {
            Double(Int64(bitPattern: a.output[at..<at + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })) / 65_536
        }
        XCTAssertEqual(q16(0), 3, accuracy: 0.01, "slope")
        XCTAssertEqual(q16(8), -2, accuracy: 0.02, "intercept")
        // Uniform noise on [-1/4, 1/4) has variance 1/48: the fit leaves about that much error.
        XCTAssertEqual(q16(16), 1.0 / 48, accuracy: 0.004, "mean squared error")
    }

    func testTheBuildScriptReproducesTheCommittedModules() throws {
        let script = Self.repository.appendingPathComponent("scripts/build-work-examples")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-work-build-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/sh")
        probe.arguments = ["-c", "command -v clang >/dev/null && echo 'int f(void){return 0;}' | clang --target=wasm32 -nostdlib -Wl,--no-entry -x c - -o /dev/null"]
        try probe.run()
        probe.waitUntilExit()
        try XCTSkipUnless(probe.terminationStatus == 0, "no clang that targets wasm32 on this machine (the Swift toolchain's does)")
        let build = Process()
        build.executableURL = script
        build.environment = ProcessInfo.processInfo.environment.merging(["OUT": out.path]) { $1 }
        build.standardOutput = FileHandle.nullDevice
        try build.run()
        build.waitUntilExit()
        XCTAssertEqual(build.terminationStatus, 0)
        for name in ["sha3", "matmul", "regression"] {
            let built = try Data(contentsOf: out.appendingPathComponent("\(name).wasm"))
            let committed = try Data(contentsOf: Self.repository.appendingPathComponent("Examples/work/wasm/\(name).wasm"))
            XCTAssertEqual(built, committed, "\(name).wasm: rebuild with scripts/build-work-examples")
        }
    }
}
