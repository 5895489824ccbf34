import AnkrCommandLine
import AnkrPrimitives
import ArgumentParser

/// `ankr util`: offline tools for hashes, encodings, keys, signatures and tries, in the spirit of Foundry's `cast`.
struct Util: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Offline tools: hashing, RLP, transactions, keys, signatures, ABI, trie roots.",
        subcommands: [
            KeccakCommand.self, RLPEncodeCommand.self, RLPDecodeCommand.self, TxDecodeCommand.self,
            AddressCommand.self, SignCommand.self, RecoverCommand.self, ABIEncodeCommand.self,
            ABIDecodeCommand.self, TrieRootCommand.self,
        ])
}

/// `--json` on every util command.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// Prints `json` with `--json`, otherwise `text`.
    func emit(json value: @autoclosure () -> JSON, text: @autoclosure () -> String) {
        if json { JSONOutput.print(value()) } else { print(text()) }
    }
}
