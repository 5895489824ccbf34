import ArgumentParser

/// The `ankr` command: one executable for the node and its tools (benchmarks are `ankr-bench`).
@main
struct Ankr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ankr",
        abstract: "Ankr: a Proof-of-Useful-Work blockchain with Plasma child chains and a native oracle.",
        subcommands: [DevnetCommand.self, InitCommand.self, NodeCommand.self, AccountCommand.self, SendCommand.self, BalanceCommand.self, WorkCommand.self, PlasmaCommand.self, AppChainCommand.self, OracleCommand.self, IdentityCommand.self, AssetCommand.self, DAppCommand.self, EVMCommand.self, AttestationCommand.self, ConfigCommand.self, Util.self])
}

/// A failure the user caused or can fix: printed as one line on stderr, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Runs a command body so every error ends as one `ankr: error: …` line on stderr and exit status 1,
/// instead of a trap or a usage dump.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch {
        var stderr = StandardError()
        print("ankr: error: \(error)", to: &stderr)
        throw ExitCode(1)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleStderr.write(string)
    }
}
