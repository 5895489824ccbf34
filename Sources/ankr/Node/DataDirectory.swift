import AnkrChain
import AnkrNode
import Foundation

/// Where a node keeps its files: `genesis.json`, `chaindata.sqlite`, `keystore/`.
struct DataDirectory {
    let url: URL

    init(_ path: String) {
        url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    }

    static let defaultPath = "~/.ankr"

    var genesisFile: URL { url.appendingPathComponent("genesis.json") }
    var keystore: URL { url.appendingPathComponent("keystore") }
    var isInitialized: Bool { FileManager.default.fileExists(atPath: genesisFile.path) }

    func loadGenesis() throws -> Genesis {
        guard let data = FileManager.default.contents(atPath: genesisFile.path) else {
            throw CommandFailure("\(url.path) is not initialized: run `ankr init --genesis <file> --datadir \(url.path)` or use --dev")
        }
        return try Genesis(json: data)
    }

    /// Validates `genesis` JSON, stores it and creates the database with the genesis block (and the
    /// system contracts the genesis implies, as the node will run them).
    @discardableResult
    func initialize(genesisJSON data: Data) throws -> Blockchain {
        let genesis = try Genesis(json: data)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if isInitialized {
            guard let existing = FileManager.default.contents(atPath: genesisFile.path), try Genesis(json: existing).chainID == genesis.chainID else {
                throw CommandFailure("\(url.path) already holds another chain; use an empty --datadir")
            }
        }
        try data.write(to: genesisFile)
        return try Blockchain(database: .init(path: Node.databasePath(url)), genesis: genesis,
                              systemContracts: ChainSpec(genesis: genesis).systemContracts)
    }
}
