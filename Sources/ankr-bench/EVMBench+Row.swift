import AnkrPrimitives

extension EVMBench {
    /// One workload's result: Ankr's time and, with `--revm`/`--pyevm`, theirs on the same bytecode. Times are best
    /// of the rounds with the engine's best empty-run time subtracted.
    struct Row {
        let workload: String
        let gasUsed: UInt64
        /// Ankr's best time.
        let seconds: Double
        /// py-evm's time, when it ran.
        var pyevmSeconds: Double?
        /// revm's time, when it ran.
        var revmSeconds: Double?
        /// The gas revm's execution used (its transaction's gas less an empty run's), when it ran.
        var revmGasUsed: UInt64?

        var megagasPerSecond: Double { Double(gasUsed) / seconds / 1e6 }
        var pyevmMegagasPerSecond: Double? { pyevmSeconds.map { Double(gasUsed) / $0 / 1e6 } }
        /// How many times faster Ankr ran than py-evm.
        var speedup: Double? { pyevmSeconds.map { $0 / seconds } }
        /// Whether revm ran and used other gas than Ankr (then its speed means nothing).
        var gasDiffers: Bool { revmGasUsed.map { $0 != gasUsed } ?? false }
        var revmMegagasPerSecond: Double? { gasDiffers ? nil : revmSeconds.map { Double(gasUsed) / $0 / 1e6 } }
        /// Ankr's speed as a multiple of revm's (1 = as fast).
        var ankrOverRevm: Double? { gasDiffers ? nil : revmSeconds.map { $0 / seconds } }

        /// The `--json` row.
        var json: JSON {
            var row: [String: JSON] = ["workload": .string(workload), "gasUsed": .int(clamping: gasUsed), "ankr_seconds": .double(seconds),
                                       "ankr_mgas_per_second": .double(megagasPerSecond)]
            if let pyevmSeconds, let pyevmMegagasPerSecond, let speedup {
                row["pyevm_seconds"] = .double(pyevmSeconds)
                row["pyevm_mgas_per_second"] = .double(pyevmMegagasPerSecond)
                row["speedup"] = .double(speedup)
            }
            if let revmGasUsed, gasDiffers { row["revm_gas_used"] = .int(clamping: revmGasUsed) }
            if let revmSeconds, let revmMegagasPerSecond, let ankrOverRevm {
                row["revm_seconds"] = .double(revmSeconds)
                row["revm_mgas_per_second"] = .double(revmMegagasPerSecond)
                row["ankr_over_revm"] = .double(ankrOverRevm)
            }
            return .object(row)
        }

        /// The text row.
        var line: String {
            var line = workload.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%11d gas  Ankr %8.1f Mgas/s", gasUsed, megagasPerSecond)
            if let revmGasUsed, gasDiffers {
                line += "  gas differs: revm \(revmGasUsed), Ankr \(gasUsed)"
            } else if let theirs = revmMegagasPerSecond, let x = ankrOverRevm {
                line += String(format: "  revm %8.1f Mgas/s  Ankr/revm %5.2f×", theirs, x)
            }
            if let theirs = pyevmMegagasPerSecond, let x = speedup {
                line += String(format: "  py-evm %6.2f Mgas/s  (%.0f× py-evm)", theirs, x)
            }
            return line
        }
    }
}
