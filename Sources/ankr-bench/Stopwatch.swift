import AnkrPrimitives

/// Times a body: the best of several rounds, so a busy neighbour on the machine skews less.
enum Stopwatch {
    /// Seconds per call of `body`, best of `rounds` rounds of `iterations` calls.
    static func secondsPerCall(iterations: Int, rounds: Int = 5, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<rounds {
            let elapsed = clock.measure {
                for _ in 0..<iterations { body() }
            }
            best = min(best, elapsed.seconds / Double(iterations))
        }
        return best
    }
}

/// Keeps the optimizer from deleting a benchmarked computation.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
