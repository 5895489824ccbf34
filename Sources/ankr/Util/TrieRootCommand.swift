import AnkrCommandLine
import AnkrPrimitives
import AnkrTrie
import ArgumentParser

struct TrieRootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trie-root", abstract: "Merkle Patricia Trie root of a JSON object mapping hex keys to hex values.")

    @Argument(help: "JSON object, e.g. '{\"0x01\": \"0xabcd\"}'.")
    var entries: String

    @Flag(name: .long, help: "Hash keys with Keccak-256 first (the secure trie of accounts and storage).")
    var secure = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            guard let object = try JSONOutput.parse(entries, what: "the entries").object else {
                throw CommandFailure("the entries must be a JSON object of hex keys to hex values")
            }
            var plain = MerklePatriciaTrie()
            var hashed = SecureMerklePatriciaTrie()
            for key in object.keys.sorted() {
                guard let value = object[key]?.string else { throw CommandFailure("value of \(key) must be a hex string") }
                let k = try Hex.decode(key), v = try Hex.decode(value)
                if secure { try hashed.put(k, v) } else { try plain.put(k, v) }
            }
            let root = (secure ? hashed.rootHash : plain.rootHash).description
            output.emit(json: ["root": .string(root)], text: root)
        }
    }
}
