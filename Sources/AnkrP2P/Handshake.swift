import AnkrCrypto
import AnkrPrimitives

/// Mutual authentication of node keys. Each side sends a ``Hello`` with a fresh challenge and its
/// node key; each answers with a signature over `keccak256("ankr-p2p-v1" ‖ peerChallenge ‖ ownKey)`.
/// Binding the signer's own key into the message stops a relay from replaying one peer's answer to
/// another, and the fresh challenge stops replays across connections.
public enum Handshake {
    static let domain = Array("ankr-p2p-v1".utf8)

    static func digest(challenge: [UInt8], signerKey: [UInt8]) -> [UInt8] {
        Keccak256.hash(domain + challenge + signerKey)
    }

    /// Our answer to the peer's hello.
    public static func answer(peerChallenge: [UInt8], nodeKey: PrivateKey) throws -> [UInt8] {
        try nodeKey.sign(hash: digest(challenge: peerChallenge, signerKey: nodeKey.publicKey.compressed)).rsv
    }

    /// Checks the peer's answer to our challenge against the key it announced.
    public static func verify(answer: [UInt8], ourChallenge: [UInt8], peerKey: [UInt8]) -> Bool {
        guard let sig = try? Signature(rsv: answer),
              let recovered = try? sig.recoverPublicKey(hash: digest(challenge: ourChallenge, signerKey: peerKey)) else { return false }
        return recovered.compressed == peerKey
    }

    /// Why a peer's hello is refused, or nil when it is compatible with ours.
    public static func incompatibility(ours: Hello, theirs: Hello) -> String? {
        if theirs.version != ours.version { return "protocol version \(theirs.version), we speak \(ours.version)" }
        if theirs.chainID != ours.chainID { return "chain id \(theirs.chainID), ours is \(ours.chainID)" }
        if theirs.genesisHash != ours.genesisHash { return "genesis \(theirs.genesisHash), ours is \(ours.genesisHash)" }
        if theirs.nodeKey == ours.nodeKey { return "connected to ourselves" }
        return nil
    }
}
