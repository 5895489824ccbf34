import AnkrPrimitives

extension EVMBench {
    /// One workload's result: Ankr's time and, with `--pyevm`, py-evm's on the same bytecode.
    struct Row {
        let workload: String
        let gasUsed: UInt64
        /// Ankr's best time.
        let seconds: Double
        /// py-evm's time, when it ran.
        var pyevmSeconds: Double?

        var megagasPerSecond: Double { Double(gasUsed) / seconds / 1e6 }
        var pyevmMegagasPerSecond: Double? { pyevmSeconds.map { Double(gasUsed) / $0 / 1e6 } }
        /// How many times faster Ankr ran than py-evm.
        var speedup: Double? { pyevmSeconds.map { $0 / seconds } }

        /// The `--json` row.
        var json: JSON {
            var row: [String: JSON] = ["workload": .string(workload), "gasUsed": .int(clamping: gasUsed), "ankr_seconds": .double(seconds),
                                       "ankr_mgas_per_second": .double(megagasPerSecond)]
            if let pyevmSeconds, let pyevmMegagasPerSecond, let speedup {
                row["pyevm_seconds"] = .double(pyevmSeconds)
                row["pyevm_mgas_per_second"] = .double(pyevmMegagasPerSecond)
                row["speedup"] = .double(speedup)
            }
            return .object(row)
        }
    }
}
