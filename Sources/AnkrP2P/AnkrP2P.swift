/// AnkrP2P is the peer-to-peer layer over SwiftNIO TCP: length-prefixed RLP frames
/// (``FrameDecoder``), the ``Message`` set, an authenticated ``Handshake`` (each side signs both
/// challenges and both node keys), per-frame tags after it (``SessionMAC``), and ``PeerNetwork``,
/// which admits, limits and bans peers, gossips blocks and transactions, and runs header-first sync
/// against ``Blockchain``, treating every peer's claims as hints.
public enum AnkrP2P {}
