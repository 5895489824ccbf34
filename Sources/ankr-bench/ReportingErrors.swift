import AnkrCommandLine

/// Runs a benchmark so every error ends as one `ankr-bench: error: …` line on stderr and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    try AnkrCommandLine.reportingErrors(program: "ankr-bench", body)
}
