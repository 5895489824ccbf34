/// Why a command has no key to sign with.
enum SignerError: Error, Equatable, CustomStringConvertible {
    /// None of the account option (`--from` or `--account`), `--key` and `--private-key` was given.
    case noSigner(accountOption: String)

    var description: String {
        switch self {
        case .noSigner(let option): return "give \(option) (a keystore account), --key <file> or --private-key"
        }
    }
}
