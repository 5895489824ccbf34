import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import ArgumentParser
import Foundation

/// Who signs: a keystore account (`--from`, with the keystore options), a key file (`--key`) or a
/// raw `--private-key`.
struct SignerOptions: ParsableArguments {
    @Option(help: "Sender address (its key in the keystore) — or use --private-key.")
    var from: Address?

    @Option(name: .customLong("private-key"), help: "Sign with this hex key instead of the keystore.")
    var privateKey: PrivateKey?

    @Option(name: .customLong("key"), help: "Sign with the hex key in this file (like --miner.key) instead of the keystore.")
    var keyFile: String?

    @OptionGroup var key: AccountCommand.KeyOptions

    func signer() throws -> PrivateKey { try Self.signer(account: from, privateKey: privateKey, keyFile: keyFile, key: key, accountOption: "--from") }

    /// The key named by one of, in this order: a key file, a raw hex key, a keystore account
    /// (given as `accountOption`).
    static func signer(account: Address?, privateKey: PrivateKey?, keyFile: String?, key: AccountCommand.KeyOptions,
                       accountOption: String) throws -> PrivateKey {
        if let keyFile { return try DataDirectory.readKey(at: URL(fileURLWithPath: (keyFile as NSString).expandingTildeInPath)) }
        if let privateKey { return privateKey }
        guard let account else { throw SignerError.noSigner(accountOption: accountOption) }
        return try key.load(account, password: key.password(confirm: false))
    }
}
