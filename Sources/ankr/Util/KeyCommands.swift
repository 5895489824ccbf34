import AnkrCommandLine
import AnkrCrypto
import AnkrPrimitives
import ArgumentParser

struct AddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address", abstract: "The EIP-55 address (and public key) of a private key.")

    @Argument(help: "32-byte private key as hex.")
    var privateKey: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let key = try PrivateKey(hex: privateKey)
            output.emit(
                json: ["address": .string(key.address.checksummed), "publicKey": .string(key.publicKey.uncompressed.hexPrefixed)],
                text: key.address.checksummed)
        }
    }
}

struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign a 32-byte hash (RFC 6979, low-s); prints r‖s‖v with v = 27/28.")

    @Argument(help: "32-byte private key as hex.")
    var privateKey: String

    @Argument(help: "32-byte hash as hex.")
    var hash: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let key = try PrivateKey(hex: privateKey)
            let sig = try key.sign(hash: Hex.decode(hash))
            output.emit(
                json: ["signature": .string(sig.rsv27.hexPrefixed), "r": .string(sig.r.hexPrefixed), "s": .string(sig.s.hexPrefixed),
                       "v": .int(clamping: Int(sig.recoveryID) + 27)],
                text: sig.rsv27.hexPrefixed)
        }
    }
}

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", abstract: "Recover the signer's address from a hash and a 65-byte r‖s‖v signature (low-s only).")

    @Argument(help: "32-byte hash as hex.")
    var hash: String

    @Argument(help: "65-byte signature r‖s‖v as hex (v = 0/1 or 27/28).")
    var signature: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let sig = try Signature(rsv: Hex.decode(signature))
            let pub = try sig.recoverPublicKey(hash: Hex.decode(hash))
            output.emit(
                json: ["address": .string(pub.address.checksummed), "publicKey": .string(pub.uncompressed.hexPrefixed)],
                text: pub.address.checksummed)
        }
    }
}
