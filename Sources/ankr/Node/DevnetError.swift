import Foundation

/// Why `ankr devnet` could not resume, start over or calibrate its network.
enum DevnetError: Error, CustomStringConvertible {
    /// `--fresh` deletes only what the devnet wrote; the directory holds something else too.
    case foreignEntry(directory: String, entry: String)
    /// `--fresh` found neither the devnet's marker nor a devnet genesis: the directory is not one a devnet wrote.
    case notADevnet(directory: String)
    /// A file or directory of the old network could not be deleted.
    case removalFailed(path: String, reason: String)
    /// The directory holds a network sealed another way than `--consensus` asks.
    case consensusMismatch(directory: String, holds: String, requested: String)
    /// The network's genesis in the directory cannot be read or parsed.
    case unreadableGenesis(path: String, reason: String)
    /// The fresh network's genesis could not be written into the directory.
    case genesisNotWritten(path: String, reason: String)
    /// A node's chain database cannot be opened to read its height.
    case unreadableChain(path: String, reason: String)
    /// The built-in workload could not be run to measure the fuel rate.
    case fuelMeasurementFailed(reason: String)

    var description: String {
        switch self {
        case .foreignEntry(let directory, let entry):
            "--fresh deletes only what `ankr devnet` wrote, and \(directory) also holds \(entry); delete \(directory) yourself to start over"
        case .notADevnet(let directory):
            "--fresh deletes only a network `ankr devnet` wrote, and \(directory) holds neither its marker nor a devnet genesis; delete it yourself to start over"
        case .removalFailed(let path, let reason): "cannot delete \(path) to start over: \(reason)"
        case .consensusMismatch(let directory, let holds, let requested):
            "\(directory) holds a \(holds) network, not \(requested); resume it with --consensus \(holds) or start over with --fresh"
        case .unreadableGenesis(let path, let reason): "cannot read the network's genesis \(path): \(reason)"
        case .genesisNotWritten(let path, let reason): "cannot write the network's genesis \(path): \(reason)"
        case .unreadableChain(let path, let reason): "cannot read the chain in \(path): \(reason)"
        case .fuelMeasurementFailed(let reason): "cannot measure this machine's fuel rate with the built-in workload: \(reason)"
        }
    }
}
