/// Why the EVM benchmark's revm comparison could not run or does not hold.
enum EVMBenchError: Error, Equatable, CustomStringConvertible {
    /// The revm worker did not start or answered nonsense (pyrevm missing for `python`).
    case revmUnavailable(python: String)
    /// revm did not complete a workload Ankr completed.
    case revmFailed(workload: String, reason: String)
    /// revm and Ankr used different gas on these workloads (each row says how much).
    case gasDiffers(workloads: [String])

    var description: String {
        switch self {
        case .revmUnavailable(let python): "the revm baseline did not run (is pyrevm 0.3.7 installed for \(python)?)"
        case .revmFailed(let workload, let reason): "\(workload): revm failed: \(reason)"
        case .gasDiffers(let workloads): "revm and Ankr used different gas on: \(workloads.joined(separator: ", "))"
        }
    }
}
