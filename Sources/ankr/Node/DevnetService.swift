/// A service `ankr devnet --with` starts beside the nodes.
enum DevnetService: String, CaseIterable, Sendable {
    /// A child chain, created on chain and confirmed, and its operator process.
    case plasma
    /// An oracle relay with its simulated enclave, and a local HTTPS data source it trusts.
    case oracle
    /// An application chain (e-commerce, chain id 4242), registered on chain, and its operator's node.
    case appchain
    /// A real-estate application chain (chain id 4243), its operator's node and, with `oracle`, a relay serving it: where
    /// the lease dApp lives (`ankr dapp lease`).
    case realestate

    /// Parses `--with`'s comma-separated list ("plasma,oracle").
    static func list(_ text: String) throws -> [DevnetService] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let service = DevnetService(rawValue: name) else { throw DevnetServiceError.unknownService(name) }
            return service
        }
    }
}
