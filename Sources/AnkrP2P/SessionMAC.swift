import AnkrCrypto
import AnkrPrimitives

/// Authenticates every frame after the handshake. The handshake proves who is at each end, but a
/// relay between two honest nodes can pass it along untouched and then slip its own messages into
/// the stream, in an honest node's name. So each later frame ends in a tag over its sequence number
/// and payload, keyed by a secret only the two key holders can compute (ECDH of their node keys,
/// mixed with both challenges and a direction): a frame without a good tag came from someone else,
/// and closes the connection without blaming the key.
public struct SessionMAC: Sendable {
    public static let tagBytes = 16
    static let domain = Array("ankr-p2p-mac-v1".utf8)

    let sendKey: [UInt8]
    let receiveKey: [UInt8]

    /// The keys for our side of a session with `peerKey`.
    public init(nodeKey: PrivateKey, peerKey: [UInt8], ourChallenge: [UInt8], peerChallenge: [UInt8]) throws {
        let secret = try nodeKey.sharedSecret(with: PublicKey(peerKey))
        sendKey = Keccak256.hash(Self.domain + secret + ourChallenge + peerChallenge)
        receiveKey = Keccak256.hash(Self.domain + secret + peerChallenge + ourChallenge)
    }

    /// The tag of the `sequence`-th frame in one direction (keccak is not open to length extension,
    /// so a keyed hash is a sound MAC).
    static func tag(key: [UInt8], sequence: UInt64, payload: [UInt8]) -> [UInt8] {
        let counter = (0..<8).map { UInt8(truncatingIfNeeded: sequence >> (56 - 8 * $0)) }
        return Array(Keccak256.hash(key + counter + payload).prefix(tagBytes))
    }

    /// `payload` followed by its tag, to send as our `sequence`-th frame.
    public func seal(_ payload: [UInt8], sequence: UInt64) -> [UInt8] {
        payload + Self.tag(key: sendKey, sequence: sequence, payload: payload)
    }

    /// The payload of the peer's `sequence`-th frame, or why it is not authentic.
    public func open(_ frame: [UInt8], sequence: UInt64) throws(SessionMACError) -> [UInt8] {
        guard frame.count >= Self.tagBytes else { throw .tooShort(frame.count) }
        let payload = Array(frame.dropLast(Self.tagBytes))
        let expected = Self.tag(key: receiveKey, sequence: sequence, payload: payload)
        // Constant time: the comparison must not tell a forger how many tag bytes were right.
        guard zip(expected, frame.suffix(Self.tagBytes)).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { throw .badTag(sequence: sequence) }
        return payload
    }
}
