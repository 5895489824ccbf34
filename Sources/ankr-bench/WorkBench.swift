import AnkrPrimitives
import AnkrSandbox
import AnkrWork
import ArgumentParser
import Foundation
import WAT

struct WorkBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work", abstract: "Fuel-metering overhead: the example useful-work modules metered against unmetered WasmKit.")

    @Option(help: "Directory of .wat examples (their C builds are read from <dir>/wasm).")
    var examples = "Examples/work"

    @Option(help: "Scale the work per subtask (1 = default).")
    var scale: Double = 1

    /// A representative input per example (they share the ABI but not an input format).
    func input(for name: String) -> [UInt8]? {
        func le(_ vs: UInt32...) -> [UInt8] { vs.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } } }
        switch name {
        case "fnv-chain.wat": return le(UInt32(max(1, 2_000 * scale))) + [UInt8](repeating: 0x5a, count: 4096)
        case "matmul.wat": return le(UInt32(min(512, max(2, 96 * scale.squareRoot())))) + le(1)
        case "sieve.wat": return le(UInt32(min(16_777_216, max(10, 2_000_000 * scale))))
        case "wasm/sha3.wasm": return le(UInt32(max(1, 20_000 * scale))) + [UInt8](repeating: 0x5a, count: 64)
        case "wasm/matmul.wasm": return le(UInt32(min(512, max(2, 96 * scale.squareRoot())))) + le(1)
        case "wasm/regression.wasm": return le(4_096, UInt32(max(1, 100 * scale))) + le(7)
        default: return nil
        }
    }

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let dir = URL(fileURLWithPath: examples)
            guard let wat = try? FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasSuffix(".wat") }).sorted(), !wat.isEmpty else {
                throw BenchError.noExamples(directory: dir.path)
            }
            let built = ((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("wasm").path)) ?? [])
                .filter { $0.hasSuffix(".wasm") }.sorted().map { "wasm/" + $0 }
            let names = wat + built
            var rows: [Row] = []
            for name in names {
                guard let input = input(for: name) else { continue }
                let file = dir.appendingPathComponent(name)
                let module = try WorkModule(bytes: name.hasSuffix(".wasm") ? [UInt8](Data(contentsOf: file))
                                                                           : wat2wasm(String(contentsOf: file, encoding: .utf8)))
                let metered = WasmSandbox(metered: true), plain = WasmSandbox(metered: false)
                var fuel: UInt64 = 0
                // Rounds alternate metered and unmetered runs (best of 9 each), so a slow spell of the
                // machine or an unlucky code placement does not land on one side only.
                var tMetered = Double.infinity, tPlain = Double.infinity
                for _ in 0..<9 {
                    tMetered = min(tMetered, Stopwatch.secondsPerCall(iterations: 1, rounds: 1) {
                        fuel = (try? metered.run(module, input: input, fuel: .max / 2).fuelUsed) ?? 0
                    })
                    tPlain = min(tPlain, Stopwatch.secondsPerCall(iterations: 1, rounds: 1) { blackHole(try? plain.run(module, input: input, fuel: .max / 2)) })
                }
                rows.append(Row(module: name, fuel: fuel, metered: tMetered, unmetered: tPlain))
            }
            if json { print(JSON.array(rows.map(\.json)).text); return }
            for r in rows {
                print(String(format: "%@: %llu fuel, metered %.1f ms, unmetered %.1f ms, overhead %.1f%%, %.0f M fuel/s",
                             r.module, r.fuel, r.metered * 1000, r.unmetered * 1000, r.overheadPercent, r.fuelPerSecond / 1e6))
            }
        }
    }
}
