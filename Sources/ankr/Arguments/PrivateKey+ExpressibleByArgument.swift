import AnkrCrypto
import ArgumentParser

/// A secp256k1 private key given inline (`--private-key 0x…`): 32 bytes of hex, non-zero and below
/// the curve order.
extension PrivateKey: ExpressibleByArgument {
    public init?(argument: String) {
        do { self = try PrivateKey(hex: argument) } catch {
            ArgumentRefusals.note(argument, error, isSecret: true)
            return nil
        }
    }

    /// Never the key itself: help screens and error messages must not echo a secret.
    public var defaultValueDescription: String { "a hex private key" }
}
