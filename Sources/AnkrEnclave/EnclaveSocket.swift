#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A stream socket between the node and the enclave process (Unix-domain, or TCP on loopback; see
/// ``EnclaveEndpoint``). Reads
/// and writes wait with `poll` up to a deadline (none: until the peer or ``shutdown()`` ends the
/// wait), so a silent peer costs a timeout, never a hang; writes never raise SIGPIPE.
final class EnclaveSocket: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var isClosed = false

    private init(fd: Int32) { self.fd = fd }

    deinit { close() }

    /// Longest path `sockaddr_un` holds (with its terminating zero).
    static var maxPathBytes: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    private static func streamSocket(family: Int32) throws(EnclaveSocketError) -> Int32 {
        #if canImport(Glibc)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(family, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw .socketFailed(errno: errno) }
        return fd
    }

    private static func family(_ endpoint: EnclaveEndpoint) -> Int32 {
        switch endpoint {
        case .unix: return AF_UNIX
        case .loopback: return AF_INET
        }
    }

    private static func withAddress<T>(_ endpoint: EnclaveEndpoint,
                                       _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) throws(EnclaveSocketError) -> T {
        switch endpoint {
        case .unix(let path):
            let bytes = Array(path.utf8)
            guard bytes.count <= maxPathBytes, !bytes.contains(0) else { throw .pathTooLong(path, limit: maxPathBytes) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        case .loopback(let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    /// Connects to the enclave process at `endpoint`.
    static func connect(to endpoint: EnclaveEndpoint) throws(EnclaveSocketError) -> EnclaveSocket {
        let fd = try streamSocket(family: family(endpoint))
        let socket = EnclaveSocket(fd: fd)
        let result = try withAddress(endpoint) { address, length in
            #if canImport(Glibc)
            Glibc.connect(fd, address, length)
            #else
            Darwin.connect(fd, address, length)
            #endif
        }
        guard result == 0 else { throw .connectFailed(path: endpoint.description, errno: errno) }
        try socket.setNonBlocking()
        return socket
    }

    /// Listens at `endpoint`. A Unix socket file is readable and writable by this user only (0600); a
    /// stale socket file left by a previous run is replaced, any other file there is refused.
    static func listen(on endpoint: EnclaveEndpoint, backlog: Int32 = 16) throws(EnclaveSocketError) -> EnclaveSocket {
        if case .unix(let path) = endpoint {
            var info = stat()
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path) }
                unlink(path)
            }
        }
        let fd = try streamSocket(family: family(endpoint))
        let socket = EnclaveSocket(fd: fd)
        var yes: Int32 = 1
        if case .loopback = endpoint { _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) }
        // The mask makes a socket file 0600 from its creation; chmod below makes sure of it.
        let previous = umask(0o177)
        let result = try withAddress(endpoint) { address, length in bind(fd, address, length) }
        let bindErrno = errno
        umask(previous)
        guard result == 0 else { throw .bindFailed(path: endpoint.description, errno: bindErrno) }
        if case .unix(let path) = endpoint, chmod(path, 0o600) != 0 { throw .bindFailed(path: path, errno: errno) }
        #if canImport(Glibc)
        guard Glibc.listen(fd, backlog) == 0 else { throw .listenFailed(errno: errno) }
        #else
        guard Darwin.listen(fd, backlog) == 0 else { throw .listenFailed(errno: errno) }
        #endif
        return socket
    }

    /// Waits for the next connection (until ``shutdown()``).
    func accept() throws(EnclaveSocketError) -> EnclaveSocket {
        while true {
            #if canImport(Glibc)
            let client = Glibc.accept(fd, nil, nil)
            #else
            let client = Darwin.accept(fd, nil, nil)
            #endif
            if client >= 0 {
                // Not inherited by processes this one starts (the tests start enclave processes).
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                let socket = EnclaveSocket(fd: client)
                try socket.setNonBlocking()
                return socket
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            throw .acceptFailed(errno: errno)
        }
    }

    private func setNonBlocking() throws(EnclaveSocketError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { throw .socketFailed(errno: errno) }
    }

    /// Waits until the socket is readable or writable, or the deadline passes.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant?) throws(EnclaveSocketError) {
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw .timedOut }
                let (seconds, attoseconds) = left.components
                // At most a day per poll (the loop polls again): the arithmetic stays far from overflow.
                timeout = Int32(min(seconds, 86_400) * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, timeout)
            if ready > 0 { return }
            if ready == 0 {
                if let deadline, ContinuousClock.now >= deadline { throw .timedOut }
                continue
            }
            if errno == EINTR { continue }
            throw .readFailed(errno: errno)
        }
    }

    /// Exactly `count` bytes, or the reason they did not arrive.
    func read(exactly count: Int, deadline: ContinuousClock.Instant?) throws(EnclaveSocketError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { raw in raw.baseAddress.map { recv(fd, $0 + filled, count - filled, 0) } ?? 0 }
            if n > 0 { filled += n; continue }
            if n == 0 { throw .closedByPeer }
            if errno == EINTR { continue }
            if errno == ECONNRESET { throw .closedByPeer }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { throw .readFailed(errno: errno) }
            try wait(for: Int16(POLLIN), until: deadline)
        }
        return buffer
    }

    /// Writes all of `bytes`, or throws.
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) throws(EnclaveSocketError) {
        var sent = 0
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { send(fd, $0 + sent, bytes.count - sent, flags) } ?? 0 }
            if n > 0 { sent += n; continue }
            if n < 0, errno == EINTR { continue }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLOUT), until: deadline)
                continue
            }
            if n < 0, errno == EPIPE || errno == ECONNRESET { throw .closedByPeer }
            throw .writeFailed(errno: n < 0 ? errno : 0)
        }
    }

    /// Wakes whoever waits on this socket (accept, poll) and refuses further traffic.
    func shutdown() {
        lock.withLock {
            guard !isClosed else { return }
            #if canImport(Glibc)
            _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
            #else
            _ = Darwin.shutdown(fd, SHUT_RDWR)
            #endif
        }
    }

    func close() {
        lock.withLock {
            guard !isClosed else { return }
            isClosed = true
            #if canImport(Glibc)
            _ = Glibc.close(fd)
            #else
            _ = Darwin.close(fd)
            #endif
        }
    }
}
