import AnkrCrypto
import AnkrPrimitives

/// The client side of a permissioned claim: the payload is committed to on chain as
/// `claimHash = keccak256(salt ‖ payload)` (a random 32-byte salt, so a guessable payload such as
/// "rent paid on time" cannot be confirmed from the hash) and stored as ECIES ciphertexts of
/// `salt ‖ payload`, one per permitted reader. Opening checks the plaintext against the claim hash,
/// so a reader knows the copy it decrypted is the payload the issuer committed to.
public struct SealedClaim: Sendable, Equatable {
    public let salt: [UInt8]
    public let payload: [UInt8]

    public init(payload: [UInt8], salt: [UInt8] = PrivateKey.random().bytes) {
        self.payload = payload
        self.salt = salt
    }

    /// The on-chain commitment.
    public var claimHash: H256 { Keccak256.h256(salt + payload) }

    /// A copy only `reader` can open.
    public func sealed(to reader: PublicKey) throws -> [UInt8] { try ECIES.encrypt(salt + payload, to: reader) }

    /// Why a sealed copy did not open.
    public enum OpenError: Error, Equatable, CustomStringConvertible {
        case notForThisKey
        case doesNotMatchClaim

        public var description: String {
            switch self {
            case .notForThisKey: return "the sealed payload is not for this key (or was altered)"
            case .doesNotMatchClaim: return "the decrypted payload does not match the claim hash"
            }
        }
    }

    /// Decrypts `sealed` with `key` and checks it against `claimHash`.
    public static func open(_ sealed: [UInt8], with key: PrivateKey, claimHash: H256) throws -> SealedClaim {
        guard let plain = try? ECIES.decrypt(sealed, with: key), plain.count >= 32 else { throw OpenError.notForThisKey }
        let claim = SealedClaim(payload: Array(plain.dropFirst(32)), salt: Array(plain.prefix(32)))
        guard claim.claimHash == claimHash else { throw OpenError.doesNotMatchClaim }
        return claim
    }
}
