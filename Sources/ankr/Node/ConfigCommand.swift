import AnkrCommandLine
import ArgumentParser

/// `ankr config dump`: the effective node settings as TOML.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Node configuration files.", subcommands: [Dump.self])

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the settings `ankr node` would run with (defaults, then --config, then flags) as TOML.")

        @OptionGroup var flags: NodeFlags

        func run() throws {
            try reportingErrors { print(try flags.configuration().toml, terminator: "") }
        }
    }
}
