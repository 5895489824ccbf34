import AnkrEVM
import AnkrPrimitives
import Foundation

extension EVMBench {
    /// One workload under one tracer, beside the same run's untraced time.
    struct TracingRow {
        let workload: String
        let tracer: String
        let gasUsed: UInt64
        let seconds: Double
        let untracedSeconds: Double

        var megagasPerSecond: Double { Double(gasUsed) / seconds / 1e6 }
        /// How many times longer than untraced.
        var slowdown: Double { seconds / untracedSeconds }

        var json: JSON {
            ["workload": .string(workload), "tracer": .string(tracer), "gasUsed": .int(clamping: gasUsed), "seconds": .double(seconds),
             "mgas_per_second": .double(megagasPerSecond), "slowdown": .double(slowdown)]
        }
    }

    /// The tracers measured, each made fresh for a run: the seam alone (a tracer that ignores everything), geth's
    /// callTracer, geth's opcode logger as `debug_traceTransaction` runs it by default (storage on, memory off, its
    /// 64 MiB bound — a workload that reaches the bound stops being recorded, as the RPC then answers an error), and
    /// EIP-3155 lines formatted and dropped.
    static func tracers() -> [(String, () -> any EVMTracer)] {
        [("no-op tracer", { EVMBenchNoopTracer() }), ("callTracer", { CallTracer(withLog: true) }), ("opcode logger", { StructLogger() }),
         ("EIP-3155 lines", { EIP3155Tracer { _ in } })]
    }

    /// Each workload under each tracer: best of the rounds, less Ankr's best empty-run time `empty`.
    func tracingRows(_ untraced: [Row], empty: Double) throws -> [TracingRow] {
        var rows: [TracingRow] = []
        for (workload, base) in zip(workloads(), untraced) {
            for (tracerName, make) in Self.tracers() {
                var best = Double.infinity
                for _ in 0..<rounds {
                    let (gasUsed, seconds) = try ours(workload, tracer: make)
                    guard gasUsed == base.gasUsed else {
                        throw BenchError.tracedGasMismatch(workload: workload.name, tracer: tracerName, untraced: base.gasUsed, traced: gasUsed)
                    }
                    best = min(best, seconds)
                }
                rows.append(TracingRow(workload: workload.name, tracer: tracerName, gasUsed: base.gasUsed, seconds: Self.net(best, empty),
                                       untracedSeconds: base.seconds))
            }
        }
        return rows
    }

    func printTracing(_ rows: [TracingRow]) {
        for r in rows {
            let label = r.workload.padding(toLength: 18, withPad: " ", startingAt: 0) + r.tracer.padding(toLength: 16, withPad: " ", startingAt: 0)
            print(label + String(format: "%8.1f Mgas/s  %6.2f× the untraced time", r.megagasPerSecond, r.slowdown))
        }
    }
}
