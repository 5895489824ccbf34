import AnkrPrimitives
import CSecp256k1

/// A recoverable ECDSA signature: r, s and the recovery id (0 or 1).
public struct Signature: Hashable, Sendable {
    public let r: [UInt8]
    public let s: [UInt8]
    /// 0 or 1: the parity of the nonce point's y coordinate.
    public let recoveryID: UInt8

    /// Half the secp256k1 group order; EIP-2 accepts only s ≤ this value.
    public static let halfOrder = UInt256(w0: 0xDFE92F46681B20A0, w1: 0x5D576E7357A4501D, w2: 0xFFFFFFFFFFFFFFFF, w3: 0x7FFFFFFFFFFFFFFF)
    /// The secp256k1 group order n.
    public static let order = UInt256(w0: 0xBFD25E8CD0364141, w1: 0xBAAEDCE6AF48A03B, w2: 0xFFFFFFFFFFFFFFFE, w3: 0xFFFFFFFFFFFFFFFF)

    init(unchecked r: [UInt8], _ s: [UInt8], _ recoveryID: UInt8) {
        self.r = r; self.s = s; self.recoveryID = recoveryID
    }

    /// Builds a signature from r, s and a recovery id, checking 0 < r, s < n, and s ≤ n/2 unless
    /// `allowHighS` (only for pre-EIP-2 data).
    public init(r: UInt256, s: UInt256, recoveryID: UInt8, allowHighS: Bool = false) throws {
        guard recoveryID <= 1 else { throw CryptoError.invalidRecoveryID(UInt64(recoveryID)) }
        guard !r.isZero, !s.isZero, r < Self.order, s < Self.order else { throw CryptoError.signatureOutOfRange }
        guard allowHighS || s <= Self.halfOrder else { throw CryptoError.highS }
        self.init(unchecked: r.bigEndianBytes, s.bigEndianBytes, recoveryID)
    }

    /// Parses 65 bytes r‖s‖v where v is 0/1 or 27/28.
    public init(rsv bytes: [UInt8]) throws {
        guard bytes.count == 65 else { throw CryptoError.invalidSignatureLength(bytes.count) }
        let v = bytes[64]
        let id: UInt8
        switch v {
        case 0, 1: id = v
        case 27, 28: id = v - 27
        default: throw CryptoError.invalidRecoveryID(UInt64(v))
        }
        // 32 bytes always fit.
        try self.init(r: UInt256(bigEndian: bytes[0..<32]) ?? .zero, s: UInt256(bigEndian: bytes[32..<64]) ?? .zero, recoveryID: id)
    }

    /// r‖s‖v with v = 27 + recovery id, the form `eth_sign` and Plasma use.
    public var rsv27: [UInt8] { r + s + [recoveryID + 27] }

    /// r‖s‖v with v = recovery id.
    public var rsv: [UInt8] { r + s + [recoveryID] }

    public var rValue: UInt256 { UInt256(bigEndian: r) ?? .zero }
    public var sValue: UInt256 { UInt256(bigEndian: s) ?? .zero }

    /// Recovers the signer's public key from a 32-byte hash (ecrecover).
    public func recoverPublicKey(hash: [UInt8]) throws -> PublicKey {
        guard hash.count == 32 else { throw CryptoError.invalidHashLength(hash.count) }
        let ctx = Secp256k1Context.shared.raw
        var sig = secp256k1_ecdsa_recoverable_signature()
        let compact = r + s
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, compact, Int32(recoveryID)) == 1 else {
            throw CryptoError.signatureOutOfRange
        }
        var pk = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(ctx, &pk, &sig, hash) == 1 else { throw CryptoError.recoveryFailed }
        return PublicKey(parsed: pk)
    }

    /// Recovers the signer's address from a 32-byte hash.
    public func recoverAddress(hash: [UInt8]) throws -> Address {
        try recoverPublicKey(hash: hash).address
    }
}
