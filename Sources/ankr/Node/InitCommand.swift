import AnkrCommandLine
import AnkrNode
import ArgumentParser
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a node's data directory from a genesis file (geth's JSON format).")

    @Option(help: "Genesis JSON file.")
    var genesis: String

    @Option(help: "Data directory.")
    var datadir = DataDirectory.defaultPath

    func run() throws {
        try reportingErrors {
            guard let data = FileManager.default.contents(atPath: genesis) else { throw CommandFailure("cannot read \(genesis)") }
            let dir = DataDirectory(datadir)
            let chain = try dir.initialize(genesisJSON: data)
            print("initialized chain \(chain.chainID) in \(dir.path)")
            print("genesis \(chain.genesisHash)")
        }
    }
}
