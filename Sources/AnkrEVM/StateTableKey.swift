/// A key of a ``StateTable``: equality and a cheap 64-bit hash keyed by the table's secret seed.
protocol StateTableKey: Equatable {
    func hash(_ seed: StateTableSeed) -> UInt64
}
