import AnkrPrimitives

/// The domain of the enclave's generic signatures. ``Enclave/sign(hash:)`` signs
/// `digest(hash)`, never `hash` itself, so no caller can get a hash of another domain signed — in
/// particular a ``PoUWStatement``, which only the enclave's own `mine` signs, for a run it metered.
/// Verifiers of enclave-signed messages (WorkMarket results, oracle datagrams) recover over the digest.
public enum EnclaveMessage {
    static let domain = Array("ankr-enclave-message".utf8)

    /// keccak256("ankr-enclave-message" ‖ hash).
    public static func digest(_ hash: [UInt8]) -> [UInt8] { Keccak256.hash(domain + hash) }
}
