/// AnkrP2P is the peer-to-peer layer over SwiftNIO TCP: length-prefixed RLP frames
/// (``FrameDecoder``), the ``Message`` set, an authenticated ``Handshake`` (each side proves it holds
/// its node key by signing the other's challenge), and ``PeerNetwork``, which keeps peers, limits and
/// bans them, gossips blocks and transactions, and runs header-first sync against ``Blockchain``.
public enum AnkrP2P {}
