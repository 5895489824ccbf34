import AnkrPrimitives
import Crypto
import Foundation

/// Public-key encryption to a secp256k1 key: ephemeral ECDH, HKDF-SHA256 and AES-256-GCM.
///
/// Wire format: `ephemeralPublicKey (65, uncompressed) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`.
/// The HKDF salt is the ephemeral key and the info string names the scheme, so a key derived
/// here is never reused for another purpose. Optional `associatedData` is authenticated, not encrypted.
public enum ECIES {
    static let info = Array("ankr-ecies-v1".utf8)
    /// Bytes added to every plaintext.
    public static let overhead = 65 + 12 + 16

    public static func encrypt(_ plaintext: [UInt8], to recipient: PublicKey, associatedData: [UInt8] = []) throws -> [UInt8] {
        let ephemeral = PrivateKey.random()
        let ephemeralPublic = ephemeral.publicKey.uncompressed
        let key = try derivedKey(secret: ephemeral.sharedSecret(with: recipient), ephemeralPublic: ephemeralPublic)
        let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: associatedData)
        return ephemeralPublic + Array(sealed.nonce) + Array(sealed.ciphertext) + Array(sealed.tag)
    }

    public static func decrypt(_ message: [UInt8], with key: PrivateKey, associatedData: [UInt8] = []) throws -> [UInt8] {
        guard message.count >= overhead else { throw CryptoError.ciphertextTooShort(message.count) }
        let ephemeralPublic = Array(message[0..<65])
        let peer = try PublicKey(ephemeralPublic)
        let symmetric = try derivedKey(secret: key.sharedSecret(with: peer), ephemeralPublic: ephemeralPublic)
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: message[65..<77]),
                ciphertext: message[77..<(message.count - 16)],
                tag: message[(message.count - 16)...])
            return Array(try AES.GCM.open(box, using: symmetric, authenticating: associatedData))
        } catch {
            throw CryptoError.decryptionFailed
        }
    }

    static func derivedKey(secret: [UInt8], ephemeralPublic: [UInt8]) throws -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), salt: ephemeralPublic, info: info, outputByteCount: 32)
    }
}
