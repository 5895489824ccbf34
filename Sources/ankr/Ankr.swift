import AnkrEVMCommand
import ArgumentParser

/// The `ankr` command: one executable for the node and its tools (benchmarks are `ankr-bench`).
@main
struct Ankr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ankr",
        abstract: "Ankr: a Proof-of-Useful-Work blockchain with Plasma child chains and a native oracle.",
        subcommands: [DevnetCommand.self, InitCommand.self, NodeCommand.self, AccountCommand.self, SendCommand.self, BalanceCommand.self, WorkCommand.self, PlasmaCommand.self, AppChainCommand.self, OracleCommand.self, IdentityCommand.self, AssetCommand.self, DAppCommand.self, EVMCommand.self, AttestationCommand.self, ConfigCommand.self, Util.self])
}
