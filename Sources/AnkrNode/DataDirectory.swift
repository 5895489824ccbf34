import AnkrChain
import Foundation

/// Where a node keeps its files, and the only place that knows their names: `genesis.json`,
/// `chaindata.sqlite`, `nodekey`, `miner.key`, `attestation-root.key`, `keystore/`, and the
/// `plasma/` and `oracle/` directories of the tools that share the datadir.
public struct DataDirectory: Sendable, Equatable {
    /// The directory itself (it may not exist yet).
    public let url: URL

    /// A datadir at `path`; a leading `~` is the home directory.
    public init(_ path: String) {
        url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    }

    /// A datadir at `url`, as given.
    public init(url: URL) {
        self.url = url
    }

    /// Where `ankr` keeps its data unless told otherwise.
    public static let defaultPath = "~/.ankr"

    /// The directory's file-system path.
    public var path: String { url.path }

    /// The chain's genesis as given to `ankr init` (geth's JSON format).
    public var genesisFile: URL { url.appendingPathComponent("genesis.json") }
    /// The SQLite database of blocks, state and receipts.
    public var databaseFile: URL { url.appendingPathComponent("chaindata.sqlite") }
    /// The node's peer-to-peer identity key, created on first start.
    public var nodeKeyFile: URL { url.appendingPathComponent("nodekey") }
    /// The miner's worker account, used when present and no other miner key is named.
    public var minerKeyFile: URL { url.appendingPathComponent("miner.key") }
    /// The development attestation root a simulated-enclave miner certifies its platform with.
    public var attestationRootKeyFile: URL { url.appendingPathComponent("attestation-root.key") }
    /// Web3 Secret Storage files of the accounts `ankr account` manages.
    public var keystore: URL { url.appendingPathComponent("keystore") }
    /// The Plasma operator's child-chain databases.
    public var plasmaDirectory: URL { url.appendingPathComponent("plasma") }
    /// The oracle enclave's files (its sealed signing key).
    public var oracleDirectory: URL { url.appendingPathComponent("oracle") }

    /// Whether `ankr init` (or `--dev`) has stored a genesis here.
    public var isInitialized: Bool { FileManager.default.fileExists(atPath: genesisFile.path) }

    /// The genesis stored by ``initialize(genesisJSON:)``.
    public func loadGenesis() throws -> Genesis {
        guard let data = FileManager.default.contents(atPath: genesisFile.path) else { throw DataDirectoryError.notInitialized(path: path) }
        return try Genesis(json: data)
    }

    /// Validates `genesis` JSON, stores it and creates the database with the genesis block (and the
    /// system contracts the genesis implies, as the node will run them). A datadir that already holds
    /// this chain is kept as it is; one holding another chain is refused.
    @discardableResult
    public func initialize(genesisJSON data: Data) throws -> Blockchain {
        let genesis = try Genesis(json: data)
        let spec = try ChainSpec(genesis: genesis)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if isInitialized {
            guard let existing = FileManager.default.contents(atPath: genesisFile.path), try Genesis(json: existing).chainID == genesis.chainID else {
                throw DataDirectoryError.holdsAnotherChain(path: path)
            }
        }
        // The database decides first (it refuses another genesis of the same chain id); only then is
        // the file replaced, so a refused `init` leaves a datadir that still starts.
        let chain = try Blockchain(database: .init(path: databaseFile.path), genesis: genesis, systemContracts: spec.systemContracts)
        try data.write(to: genesisFile, options: .atomic)
        return chain
    }
}
