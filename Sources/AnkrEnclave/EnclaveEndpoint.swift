/// Where the enclave process serves: a Unix socket (the default; the file is 0600, so only the
/// node's user can reach it) or a TCP port on the loopback interface, for Gramine, which keeps Unix
/// sockets inside the enclave's own Gramine instance. Written as a path, or `tcp://127.0.0.1:PORT`.
public enum EnclaveEndpoint: Equatable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case loopback(port: UInt16)

    static let tcpPrefix = "tcp://"

    /// A path, or `tcp://127.0.0.1:PORT` / `tcp://localhost:PORT` (only loopback: the protocol has no
    /// authentication of its own, so it never listens where another machine could connect).
    public init(_ text: String) throws(EnclaveSocketError) {
        guard text.hasPrefix(Self.tcpPrefix) else {
            guard !text.isEmpty else { throw .badEndpoint(text) }
            self = .unix(path: text)
            return
        }
        let rest = text.dropFirst(Self.tcpPrefix.count)
        guard let colon = rest.lastIndex(of: ":"), ["127.0.0.1", "localhost"].contains(String(rest[..<colon])),
              let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else { throw .badEndpoint(text) }
        self = .loopback(port: port)
    }

    public var description: String {
        switch self {
        case .unix(let path): return path
        case .loopback(let port): return "\(Self.tcpPrefix)127.0.0.1:\(port)"
        }
    }
}
