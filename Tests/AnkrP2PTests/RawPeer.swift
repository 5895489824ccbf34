import AnkrChain
import AnkrCrypto
import AnkrP2P
import AnkrPrimitives
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A hand-driven peer over a raw loopback socket: it speaks the framing and, when asked, the real
/// handshake, then does whatever a test scripts (lie, stay silent, flood, relay).
final class RawPeer: @unchecked Sendable {
    let fd: Int32
    let key: PrivateKey
    let challenge: [UInt8]
    var buffer = [UInt8]()
    /// Set once the node closed the connection (not on a mere receive timeout).
    private(set) var closedByNode = false
    /// Frame tags after the handshake, as the node expects them.
    private var mac: SessionMAC?
    private var sealing = false, opening = false
    private var sentFrames: UInt64 = 0, receivedFrames: UInt64 = 0

    init(port: Int, key: PrivateKey = .random(), receiveTimeout: Int = 5) throws {
        fd = try loopbackSocket(port)
        self.key = key
        var rng = SystemRandomNumberGenerator()
        challenge = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var tv = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Ends the conversation: a reader blocked in `receive` returns nil.
    func hangUp() { shutdown(fd, Int32(SHUT_RDWR)) }

    func send(_ m: Message) { sendRaw(m.encoded) }

    func sendRaw(_ bytes: [UInt8]) {
        var payload = bytes
        if sealing, let mac {
            payload = mac.seal(bytes, sequence: sentFrames)
            sentFrames += 1
        }
        let len = UInt32(payload.count).bigEndian
        let frame = withUnsafeBytes(of: len) { Array($0) } + payload
        _ = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Next message, or nil on close/timeout; frames it cannot read (tagged for someone else) are skipped.
    func receive() -> Message? {
        while true {
            if buffer.count >= 4 {
                let len = Int(UInt32(buffer[0]) << 24 | UInt32(buffer[1]) << 16 | UInt32(buffer[2]) << 8 | UInt32(buffer[3]))
                if buffer.count >= 4 + len {
                    var payload = Array(buffer[4..<(4 + len)])
                    buffer.removeFirst(4 + len)
                    if opening, let mac {
                        guard let opened = try? mac.open(payload, sequence: receivedFrames) else { continue }
                        receivedFrames += 1
                        payload = opened
                    }
                    guard let message = try? Message(encoded: payload) else { continue }
                    return message
                }
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else {
                if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { closedByNode = true }
                return nil
            }
            buffer += chunk[0..<n]
        }
    }

    /// Our hello as `chainID`/`genesis`, with our key and challenge.
    func hello(chainID: UInt64, genesis: H256, nodeKey: [UInt8]? = nil, challenge: [UInt8]? = nil) -> Message {
        .hello(Hello(version: Hello.protocolVersion, chainID: chainID, genesisHash: genesis, nodeKey: nodeKey ?? key.publicKey.compressed,
                     challenge: challenge ?? self.challenge, listenPort: 0))
    }

    /// Performs the real handshake as `chainID`/`genesis`; true when the node accepted it.
    func handshake(chainID: UInt64, genesis: H256) throws -> Bool {
        guard case .hello(let theirs) = receive() else { return false }
        send(hello(chainID: chainID, genesis: genesis))
        send(.auth(signature: try Handshake.answer(peerChallenge: theirs.challenge, peerKey: theirs.nodeKey, ourChallenge: challenge, nodeKey: key)))
        mac = try SessionMAC(nodeKey: key, peerKey: theirs.nodeKey, ourChallenge: challenge, peerChallenge: theirs.challenge)
        sealing = true
        guard case .auth(let answer) = receive() else { return false }
        opening = Handshake.verify(answer: answer, ourChallenge: challenge, ourKey: key.publicKey.compressed,
                                   peerChallenge: theirs.challenge, peerKey: theirs.nodeKey)
        return opening
    }

    /// Drains messages until the node closes the connection (true) or `seconds` pass (false).
    func closedWithin(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if receive() == nil { return true }
        }
        return false
    }
}

/// A TCP socket connected to 127.0.0.1:`port`.
func loopbackSocket(_ port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard ok == 0 else {
        close(fd)
        throw POSIXError(.ECONNREFUSED)
    }
    return fd
}

/// True once the peer closed: a non-blocking read returns 0 (EOF) or an error other than EAGAIN.
func socketClosed(_ fd: Int32) -> Bool {
    var buf = [UInt8](repeating: 0, count: 4096)
    let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
    if n == 0 { return true }
    if n < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
    return false
}

/// Polls `condition` every 50 ms for up to `seconds`.
func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}
