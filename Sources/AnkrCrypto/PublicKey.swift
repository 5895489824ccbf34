import AnkrPrimitives
import CSecp256k1

/// A secp256k1 public key.
public struct PublicKey: Hashable, Sendable {
    /// The 64-byte uncompressed point without the 0x04 prefix (x‖y), the form Ethereum hashes.
    public let raw64: [UInt8]

    /// Parses 33-byte compressed, 65-byte uncompressed (0x04‖x‖y) or 64-byte raw x‖y keys; the
    /// point must lie on the curve.
    public init(_ bytes: [UInt8]) throws {
        let input: [UInt8]
        switch bytes.count {
        case 64: input = [0x04] + bytes
        case 33, 65: input = bytes
        default: throw CryptoError.invalidPublicKey(length: bytes.count)
        }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.raw, &pk, input, input.count) == 1 else {
            throw CryptoError.invalidPublicKey(length: bytes.count)
        }
        self.raw64 = Self.serialize(pk, compressed: false).dropFirst().map { $0 }
    }

    init(parsed pk: secp256k1_pubkey) {
        self.raw64 = Array(Self.serialize(pk, compressed: false).dropFirst())
    }

    /// 65-byte uncompressed SEC1 encoding.
    public var uncompressed: [UInt8] { [0x04] + raw64 }

    /// 33-byte compressed SEC1 encoding.
    public var compressed: [UInt8] {
        let yOdd = raw64[63] & 1 == 1
        return [yOdd ? 0x03 : 0x02] + raw64[0..<32]
    }

    /// The Ethereum address: the last 20 bytes of keccak256(x‖y).
    public var address: Address {
        // 64 bytes by construction.
        (try? Address(publicKey64: raw64)) ?? .zero
    }

    var parsed: secp256k1_pubkey {
        var pk = secp256k1_pubkey()
        let input = uncompressed
        _ = secp256k1_ec_pubkey_parse(Secp256k1Context.shared.raw, &pk, input, input.count)
        return pk
    }

    static func serialize(_ pk: secp256k1_pubkey, compressed: Bool) -> [UInt8] {
        var key = pk
        var out = [UInt8](repeating: 0, count: compressed ? 33 : 65)
        var len = out.count
        _ = secp256k1_ec_pubkey_serialize(
            Secp256k1Context.shared.raw, &out, &len, &key,
            UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED))
        return out
    }
}
