import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 keep-alive load generator over blocking sockets, one thread per connection.
enum LoadGenerator {
    /// JSON-RPC: `body` POSTed to `/`.
    static func run(port: Int, body: String, connections: Int, seconds: Double) throws -> Double {
        let request = Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        return try run(port: port, request: request, connections: connections, seconds: seconds)
    }

    /// `GET path` (a REST resource).
    static func run(port: Int, get path: String, connections: Int, seconds: Double) throws -> Double {
        try run(port: port, request: Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8), connections: connections, seconds: seconds)
    }

    /// Requests per second answered with 200, sending `request` over `connections` keep-alive connections.
    static func run(port: Int, request: [UInt8], connections: Int, seconds: Double) throws -> Double {
        let counter = Counter()
        let deadline = Date().addingTimeInterval(seconds)
        DispatchQueue.concurrentPerform(iterations: connections) { _ in
            guard let fd = connect(port: port) else { counter.fail(); return }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Date() < deadline {
                guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count,
                      readResponse(fd, &buffer) else { counter.fail(); return }
                counter.add()
            }
        }
        guard counter.failures == 0 else { throw BenchError.connectionsFailed(counter.failures) }
        return Double(counter.count) / seconds
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if ok != 0 { close(fd); return nil }
        return fd
    }

    /// Reads one response: headers, then Content-Length bytes of body.
    static func readResponse(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var received = [UInt8]()
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            received += buffer[0..<n]
            if headerEnd == nil, let r = find(received, Array("\r\n\r\n".utf8)) {
                headerEnd = r + 4
                let head = String(decoding: received[0..<r], as: UTF8.self).lowercased()
                guard head.hasPrefix("http/1.1 200") else { return false }
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let h = headerEnd, received.count >= h + contentLength { return true }
        }
    }

    static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        private var f = 0
        func add() { lock.withLock { n += 1 } }
        func fail() { lock.withLock { f += 1 } }
        var count: Int { lock.withLock { n } }
        var failures: Int { lock.withLock { f } }
    }
}
