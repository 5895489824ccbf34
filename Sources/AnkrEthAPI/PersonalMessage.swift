import AnkrCrypto
import AnkrPrimitives

/// EIP-191 version 0x45 ("personal") messages, as `eth_sign` and `personal_sign` sign them: the prefix keeps a
/// signed message from ever being a valid transaction.
public enum PersonalMessage {
    /// keccak256("\x19Ethereum Signed Message:\n" + decimal length of `message` + `message`).
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message)
    }

    /// The 65-byte signature r ‖ s ‖ v with v 27 or 28, as geth's `eth_sign` returns it.
    public static func sign(_ message: [UInt8], with key: PrivateKey) throws -> [UInt8] {
        try key.sign(hash: hash(message)).rsv27
    }
}
