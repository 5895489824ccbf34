import AnkrPrimitives
import CSecp256k1

/// A secp256k1 private key: 32 bytes, non-zero and below the curve order.
public struct PrivateKey: Sendable, Equatable {
    /// The 32 secret bytes.
    public let bytes: [UInt8]

    /// Checks that the scalar is a valid key.
    public init(_ bytes: [UInt8]) throws {
        guard bytes.count == 32, secp256k1_ec_seckey_verify(Secp256k1Context.shared.raw, bytes) == 1 else {
            throw CryptoError.invalidPrivateKey
        }
        self.bytes = bytes
    }

    /// Parses 32 bytes of hex (with or without `0x`); a wrong length or non-hex text is refused
    /// with an error that says which.
    public init(hex: String) throws {
        guard let b = try? Hex.decode(hex) else { throw CryptoError.privateKeyNotHex }
        guard b.count == 32 else { throw CryptoError.privateKeyLength(b.count) }
        try self.init(b)
    }

    /// A fresh key from the system's cryptographically secure generator.
    public static func random() -> PrivateKey {
        var rng = SystemRandomNumberGenerator()
        while true {
            let candidate = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if let key = try? PrivateKey(candidate) { return key }
        }
    }

    public var publicKey: PublicKey {
        var pk = secp256k1_pubkey()
        // The key was verified on construction, so creation cannot fail.
        _ = secp256k1_ec_pubkey_create(Secp256k1Context.shared.raw, &pk, bytes)
        return PublicKey(parsed: pk)
    }

    public var address: Address { publicKey.address }

    /// Signs a 32-byte hash with an RFC 6979 deterministic nonce. libsecp256k1 always produces
    /// the low-s form, so the result is accepted everywhere Ethereum enforces EIP-2.
    public func sign(hash: [UInt8]) throws -> Signature {
        guard hash.count == 32 else { throw CryptoError.invalidHashLength(hash.count) }
        let ctx = Secp256k1Context.shared.raw
        var sig = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(ctx, &sig, hash, bytes, nil, nil) == 1 else {
            throw CryptoError.invalidPrivateKey
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recid: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, &compact, &recid, &sig)
        return Signature(unchecked: Array(compact[0..<32]), Array(compact[32..<64]), UInt8(recid))
    }

    /// The secp256k1 ECDH shared secret: the x coordinate of `self · peer`.
    public func sharedSecret(with peer: PublicKey) throws -> [UInt8] {
        var pk = peer.parsed
        var out = [UInt8](repeating: 0, count: 32)
        let ok = secp256k1_ecdh(Secp256k1Context.shared.raw, &out, &pk, bytes, { output, x32, _, _ in
            guard let output, let x32 else { return 0 }
            output.update(from: x32, count: 32)
            return 1
        }, nil)
        guard ok == 1 else { throw CryptoError.invalidPrivateKey }
        return out
    }
}
