import AnkrCommandLine
import AnkrPrimitives
import ArgumentParser

struct KeccakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keccak", abstract: "Keccak-256 of hex bytes, or of UTF-8 text with --text.")

    @Argument(help: "Hex bytes (0x optional), or text with --text.")
    var input: String

    @Flag(name: .long, help: "Hash the argument as UTF-8 text.")
    var text = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let bytes = text ? Array(input.utf8) : try Hex.decode(input)
            let hash = Keccak256.hash(bytes).hexPrefixed
            output.emit(json: ["hash": .string(hash)], text: hash)
        }
    }
}
