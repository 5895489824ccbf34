/// Why the KZG benchmark could not measure.
enum KZGBenchError: Error, Equatable, CustomStringConvertible {
    /// This build has no contract at 0x0a.
    case noPrecompile
    /// The precompile refused the valid proof on some timed calls after accepting it once.
    case verificationFlipped(failures: Int)
    /// The ckzg baseline did not run (ckzg not installed, or the setup file not found).
    case ckzgUnavailable(python: String, setup: String)

    var description: String {
        switch self {
        case .noPrecompile: "no precompile at 0x0a"
        case .verificationFlipped(let n): "the precompile refused the valid proof on \(n) timed calls"
        case .ckzgUnavailable(let python, let setup):
            "the ckzg baseline did not run with \(python) (is ckzg installed, and is \(setup) c-kzg-4844's trusted_setup.txt?)"
        }
    }
}
