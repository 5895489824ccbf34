/// What went wrong on a socket of the enclave boundary; `errno` is the system's code.
public enum EnclaveSocketError: Error, Equatable, Sendable, CustomStringConvertible {
    case pathTooLong(String, limit: Int)
    case badEndpoint(String)
    case notASocket(String)
    case socketFailed(errno: Int32)
    case connectFailed(path: String, errno: Int32)
    case bindFailed(path: String, errno: Int32)
    case listenFailed(errno: Int32)
    case acceptFailed(errno: Int32)
    case readFailed(errno: Int32)
    case writeFailed(errno: Int32)
    case closedByPeer
    case timedOut

    public var description: String {
        switch self {
        case .pathTooLong(let p, let l): return "socket path \(p) is longer than \(l) bytes"
        case .badEndpoint(let t): return "\(t) is neither a socket path nor tcp://127.0.0.1:PORT"
        case .notASocket(let p): return "\(p) exists and is not a socket; not replacing it"
        case .socketFailed(let e): return "socket() failed (errno \(e))"
        case .connectFailed(let p, let e): return "cannot connect to \(p) (errno \(e))"
        case .bindFailed(let p, let e): return "cannot listen on \(p) (errno \(e))"
        case .listenFailed(let e): return "listen() failed (errno \(e))"
        case .acceptFailed(let e): return "accept() failed (errno \(e))"
        case .readFailed(let e): return "read from the socket failed (errno \(e))"
        case .writeFailed(let e): return "write to the socket failed (errno \(e))"
        case .closedByPeer: return "the other side closed the socket"
        case .timedOut: return "no answer before the deadline"
        }
    }
}
