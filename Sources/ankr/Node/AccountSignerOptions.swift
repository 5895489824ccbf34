import AnkrCrypto
import AnkrPrimitives
import ArgumentParser

/// Who signs, for commands whose `--from` means something else (`ankr plasma bridge --from A`):
/// `--account` names the keystore account.
struct AccountSignerOptions: ParsableArguments {
    @Option(help: "Sender address (its key in the keystore) — or use --private-key.")
    var account: Address?

    @Option(name: .customLong("private-key"), help: "Sign with this hex key instead of the keystore.")
    var privateKey: PrivateKey?

    @Option(name: .customLong("key"), help: "Sign with the hex key in this file instead of the keystore.")
    var keyFile: String?

    @OptionGroup var key: AccountCommand.KeyOptions

    func signer() throws -> PrivateKey {
        try SignerOptions.signer(account: account, privateKey: privateKey, keyFile: keyFile, key: key, accountOption: "--account")
    }
}
