import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately crude WebSocket peer over a blocking socket, for tests that need to send what a
/// well-behaved client library never would (unmasked, oversized, fragmented or malformed frames) and
/// to read exactly what the server answers.
final class WebSocketTestPeer {
    struct Frame: Equatable {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
        /// A close frame's status code.
        var closeCode: UInt16? { payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil }
        var closeReason: String { String(decoding: payload.dropFirst(2), as: UTF8.self) }
    }

    enum PeerError: Error { case connect(Int32), closed, handshake(String) }

    private let fd: Int32
    private var buffered: [UInt8] = []

    /// Connects to 127.0.0.1:`port` with a receive timeout.
    init(port: Int, timeout: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { close(fd); throw PeerError.connect(errno) }
    }

    deinit { close(fd) }

    /// Sets the kernel's receive buffer (small, for a client that stops reading).
    func setReceiveBuffer(_ bytes: Int32) {
        var size = bytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sends an upgrade request and returns the server's status line and headers.
    @discardableResult
    func handshake(origin: String? = nil, host: String = "127.0.0.1", extraHeaders: String = "") throws -> String {
        var request = "GET / HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let origin { request += "Origin: \(origin)\r\n" }
        request += extraHeaders + "\r\n"
        send(Array(request.utf8))
        return try readHead()
    }

    /// The HTTP head of a response (up to the blank line).
    func readHead() throws -> String {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffered[..<end], as: UTF8.self)
                buffered.removeFirst(end + 4)
                return head
            }
            try fill()
        }
    }

    /// A body of `count` bytes after a head.
    func readBytes(_ count: Int) throws -> [UInt8] {
        while buffered.count < count { try fill() }
        defer { buffered.removeFirst(count) }
        return Array(buffered[..<count])
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Sends one frame, masked unless `masked` is false.
    func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true, masked: Bool = true) {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            frame.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(maskBit | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(maskBit | 127)
            frame += (0..<8).reversed().map { UInt8((UInt64(payload.count) >> (8 * UInt64($0))) & 0xFF) }
        }
        if masked {
            let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
            frame += key
            frame += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
        } else {
            frame += payload
        }
        send(frame)
    }

    func sendText(_ text: String) { sendFrame(opcode: 1, payload: Array(text.utf8)) }

    /// The next frame from the server (which never masks).
    func readFrame() throws -> Frame {
        let header = try readBytes(2)
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            let b = try readBytes(2)
            length = Int(b[0]) << 8 | Int(b[1])
        } else if length == 127 {
            length = try readBytes(8).reduce(0) { $0 << 8 | Int($1) }
        }
        return Frame(fin: header[0] & 0x80 != 0, opcode: header[0] & 0x0F, payload: try readBytes(length))
    }

    /// The next text frame, skipping pings.
    func readText() throws -> String {
        while true {
            let frame = try readFrame()
            if frame.opcode == 1 { return frame.text }
            if frame.opcode == 8 { throw PeerError.closed }
        }
    }

    /// Reads until the server closes: the close frame if it sent one.
    func readUntilClose() throws -> Frame? {
        while true {
            do {
                let frame = try readFrame()
                if frame.opcode == 8 { return frame }
            } catch PeerError.closed {
                return nil
            }
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw PeerError.closed }
        buffered += chunk[..<n]
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffered.count >= needle.count else { return nil }
        for i in 0...(buffered.count - needle.count) where Array(buffered[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}
