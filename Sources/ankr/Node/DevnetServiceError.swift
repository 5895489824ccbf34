import Foundation

/// Why a devnet service could not start or stopped.
enum DevnetServiceError: Error, CustomStringConvertible {
    case unknownService(String)
    case invalidNodeURL(String)
    case nodeUnreachable(url: String, seconds: Int)
    case childChainNotConfirmed(seconds: Int)
    case childChainCreationFailed(String)
    /// An application chain (`appchain`, `realestate`) could not be set up.
    case appChainFailed(name: String, reason: String)
    case certificateUnreadable(path: String)
    case sourceNotStarted(port: Int, reason: String)
    case logNotCreated(path: String)
    case processExited(name: String, status: Int32, log: String)

    var description: String {
        switch self {
        case .unknownService(let name):
            "unknown service \"\(name)\" (known: \(DevnetService.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidNodeURL(let url): "node0's RPC address \(url) is not a URL"
        case .nodeUnreachable(let url, let seconds): "node0 at \(url) did not answer within \(seconds) s"
        case .childChainNotConfirmed(let seconds): "the devnet's child chain was not created and confirmed within \(seconds) s"
        case .childChainCreationFailed(let reason): "cannot create the devnet's child chain: \(reason)"
        case .appChainFailed(let name, let reason): "cannot start the devnet's \(name) application chain: \(reason)"
        case .certificateUnreadable(let path): "cannot read the data source's certificate or key in \(path) (delete the directory to make a new pair)"
        case .sourceNotStarted(let port, let reason): "cannot start the HTTPS data source on 127.0.0.1:\(port): \(reason)"
        case .logNotCreated(let path): "cannot create the log file \(path)"
        case .processExited(let name, let status, let log): "\(name) exited with status \(status); see \(log)"
        }
    }
}
