import AnkrPrimitives

extension WorkBench {
    /// One module's metered and unmetered times.
    struct Row {
        let module: String
        let fuel: UInt64
        let metered: Double
        let unmetered: Double

        /// What fuel metering costs, in percent of the unmetered time.
        var overheadPercent: Double { (metered / unmetered - 1) * 100 }
        var fuelPerSecond: Double { Double(fuel) / metered }

        /// The `--json` row.
        var json: JSON {
            ["module": .string(module), "fuel": .int(clamping: fuel), "metered_seconds": .double(metered), "unmetered_seconds": .double(unmetered),
             "overhead_percent": .double(overheadPercent), "fuel_per_second": .double(fuelPerSecond)]
        }
    }
}
