import AnkrCrypto
import AnkrPrimitives

/// A trusted execution environment as the rest of Ankr sees it.
public protocol Enclave: Sendable {
    /// Identity of the code running inside.
    var measurement: H256 { get }
    /// The enclave's public key; its private half never leaves the enclave.
    var publicKey: PublicKey { get }
    /// Evidence binding ``publicKey`` and 32 bytes of caller data to this enclave and its platform.
    func attest(userData: [UInt8]) throws -> AttestationEvidence
    /// Signs a 32-byte hash with the enclave key.
    func sign(hash: [UInt8]) throws -> Signature
    /// Opens an ECIES message sent to ``publicKey`` (private oracle requests); the plaintext stays inside.
    func decrypt(_ message: [UInt8]) throws -> [UInt8]
    /// 64 bits or more of randomness from inside the enclave.
    func randomBytes(_ count: Int) -> [UInt8]
}
