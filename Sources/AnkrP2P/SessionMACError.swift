/// Why a frame after the handshake was refused.
public enum SessionMACError: Error, Equatable, CustomStringConvertible {
    case tooShort(Int)
    case badTag(sequence: UInt64)

    public var description: String {
        switch self {
        case .tooShort(let n): return "frame of \(n) bytes has no room for its \(SessionMAC.tagBytes)-byte tag"
        case .badTag(let seq): return "frame \(seq) is not authenticated by the peer's session key"
        }
    }
}
