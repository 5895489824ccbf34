import AnkrCrypto
import AnkrPrimitives

/// Mutual authentication of node keys. Each side sends a ``Hello`` with a fresh challenge and its
/// node key; each answers with a signature over
/// `keccak256("ankr-p2p-v2" ‖ verifierChallenge ‖ signerChallenge ‖ verifierKey ‖ signerKey)`.
/// Both challenges make the answer fresh for this connection only; both keys make it valid only
/// between these two identities, so a relay that shows its own key to an honest node cannot hand
/// that node's answer to a third party as its own (all four fields have fixed sizes, so the
/// concatenation is unambiguous).
public enum Handshake {
    static let domain = Array("ankr-p2p-v2".utf8)

    static func digest(verifierChallenge: [UInt8], signerChallenge: [UInt8], verifierKey: [UInt8], signerKey: [UInt8]) -> [UInt8] {
        Keccak256.hash(domain + verifierChallenge + signerChallenge + verifierKey + signerKey)
    }

    /// Our answer to the peer's hello: `ourChallenge` is the one we sent it.
    public static func answer(peerChallenge: [UInt8], peerKey: [UInt8], ourChallenge: [UInt8], nodeKey: PrivateKey) throws -> [UInt8] {
        let hash = digest(verifierChallenge: peerChallenge, signerChallenge: ourChallenge,
                          verifierKey: peerKey, signerKey: nodeKey.publicKey.compressed)
        return try nodeKey.sign(hash: hash).rsv
    }

    /// Checks the peer's answer: it must sign our challenge and key together with its own.
    public static func verify(answer: [UInt8], ourChallenge: [UInt8], ourKey: [UInt8], peerChallenge: [UInt8], peerKey: [UInt8]) -> Bool {
        let hash = digest(verifierChallenge: ourChallenge, signerChallenge: peerChallenge, verifierKey: ourKey, signerKey: peerKey)
        guard let sig = try? Signature(rsv: answer), let recovered = try? sig.recoverPublicKey(hash: hash) else { return false }
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
