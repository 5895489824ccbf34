import ArgumentParser

/// Runs a benchmark so every error ends as one `ankr-bench: error: …` line on stderr and exit
/// status 1, instead of a trap or a usage dump.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch {
        var stderr = StandardError()
        print("ankr-bench: error: \(error)", to: &stderr)
        throw ExitCode(1)
    }
}
