/// Why a key, signature or ciphertext was rejected.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPrivateKey
    /// A private key's hex decodes to this many bytes instead of 32.
    case privateKeyLength(Int)
    /// A private key's text is not hex (a non-hex character or an odd number of digits); the text is a
    /// secret, so the message repeats none of it.
    case privateKeyNotHex
    case invalidPublicKey(length: Int)
    case invalidSignatureLength(Int)
    case invalidRecoveryID(UInt64)
    case signatureOutOfRange
    case highS
    case recoveryFailed
    case invalidHashLength(Int)
    case ciphertextTooShort(Int)
    case decryptionFailed

    public var description: String {
        switch self {
        case .invalidPrivateKey: return "private key is zero or not below the curve order"
        case .privateKeyLength(let n): return "a private key is 32 bytes (64 hex digits); got \(n) byte\(n == 1 ? "" : "s")"
        case .privateKeyNotHex: return "a private key is 32 bytes written as 64 hex digits; this text is not hex"
        case .invalidPublicKey(let n): return "invalid secp256k1 public key (\(n) bytes)"
        case .invalidSignatureLength(let n): return "signature must be 65 bytes (r‖s‖v), got \(n)"
        case .invalidRecoveryID(let v): return "invalid signature recovery id v=\(v)"
        case .signatureOutOfRange: return "signature r or s is zero or not below the curve order"
        case .highS: return "signature s is in the upper half of the curve order (not low-s)"
        case .recoveryFailed: return "no public key recovers from this signature"
        case .invalidHashLength(let n): return "message hash must be 32 bytes, got \(n)"
        case .ciphertextTooShort(let n): return "ECIES ciphertext too short (\(n) bytes)"
        case .decryptionFailed: return "ECIES decryption failed: wrong key or tampered ciphertext"
        }
    }
}
