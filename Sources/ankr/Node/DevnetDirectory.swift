import AnkrChain
import AnkrNode
import Foundation

/// A devnet's directory as `ankr devnet` finds it before starting anything: empty, so a fresh network is
/// written there, or holding a network (its `genesis.json` and the nodes' `node<i>` data directories) that
/// the devnet resumes with its state.
struct DevnetDirectory {
    let root: URL

    /// What the devnet writes at the top of its directory besides the `node<i>` data directories: the
    /// network's genesis and the `--with` services' files.
    static let entries: Set<String> = ["genesis.json", "www", "https", "oracle", "operator", "appchain", "realestate", markerName]

    /// The file a fresh devnet writes first, naming the directory as the devnet's own.
    static let markerName = ".ankr-devnet"
    var markerFile: URL { root.appendingPathComponent(Self.markerName) }

    /// The genesis every node of the network was initialized with.
    var genesisFile: URL { root.appendingPathComponent("genesis.json") }

    /// Node `i`'s data directory.
    func node(_ i: Int) -> DataDirectory { DataDirectory(url: root.appendingPathComponent("node\(i)")) }

    /// Whether `name` is a node's data directory: "node" and a decimal index.
    static func isNodeDirectory(_ name: String) -> Bool {
        let index = name.dropFirst(4)
        return name.hasPrefix("node") && !index.isEmpty && index.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The directory's entries (none when it does not exist yet).
    private func names() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    }

    /// The nodes' data directories that hold a chain.
    func initializedNodes() -> [DataDirectory] {
        names().filter(Self.isNodeDirectory).map { DataDirectory(url: root.appendingPathComponent($0)) }.filter(\.isInitialized)
    }

    /// The genesis JSON of the network here and the file it was read from, nil when no node holds a chain
    /// yet (a fresh network is then written, even over a `genesis.json` left by a run stopped before its
    /// nodes were set up). The nodes' copy is the authority: it is what their chain was built from.
    func genesis() throws(DevnetError) -> (json: Data, file: URL)? {
        guard let file = initializedNodes().first?.genesisFile else { return nil }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw .unreadableGenesis(path: file.path, reason: "not readable")
        }
        return (data, file)
    }

    /// Whether the devnet wrote this directory: its marker, or a top-level genesis of the devnet's chain id.
    private func isDevnetOwn() -> Bool {
        if FileManager.default.fileExists(atPath: markerFile.path) { return true }
        guard let data = FileManager.default.contents(atPath: genesisFile.path), let genesis = try? Genesis(json: data) else { return false }
        return genesis.chainID == DevGenesis.chainID
    }

    /// Writes the marker that lets a later `--fresh` delete this directory's network.
    func writeMarker() throws(DevnetError) {
        do {
            try Data("written by `ankr devnet`; `ankr devnet --fresh` may delete this directory's network\n".utf8)
                .write(to: markerFile, options: .atomic)
        } catch {
            throw .genesisNotWritten(path: markerFile.path, reason: error.localizedDescription)
        }
    }

    /// The network's height: the highest head among its nodes (0 before any has a chain).
    func height() throws(DevnetError) -> UInt64 {
        var height: UInt64 = 0
        for node in initializedNodes() {
            do {
                let genesis = try node.loadGenesis()
                let spec = try ChainSpec(genesis: genesis)
                // Opened and closed again before the node starts: the database is the node's alone once it runs.
                let chain = try Blockchain(database: .init(path: node.databaseFile.path), genesis: genesis, systemContracts: spec.systemContracts)
                height = max(height, chain.head.number)
            } catch {
                throw .unreadableChain(path: node.path, reason: "\(error)")
            }
        }
        return height
    }

    /// Deletes the network written here (`--fresh`): the entries the devnet writes and nothing else. A
    /// directory that also holds anything else is refused before anything is deleted, so `--fresh` with a
    /// mistaken `--dir` (a node's own data directory, a home directory) destroys nothing.
    ///
    /// The names alone prove little (`/srv` may hold just `www`; a geth private network `genesis.json` and `node1`), so
    /// the directory must also be the devnet's: its marker file, or — for a network written before the marker — a
    /// `genesis.json` of the devnet's chain id.
    func removeNetwork() throws(DevnetError) {
        let names = names()
        if let foreign = names.first(where: { !Self.entries.contains($0) && !Self.isNodeDirectory($0) }) {
            throw .foreignEntry(directory: root.path, entry: foreign)
        }
        guard names.isEmpty || isDevnetOwn() else { throw .notADevnet(directory: root.path) }
        for name in names {
            let path = root.appendingPathComponent(name).path
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw .removalFailed(path: path, reason: error.localizedDescription)
            }
        }
    }
}
