@testable import AnkrEnclave
import AnkrPrimitives
import XCTest

/// Raw frames an attacker on the socket could send, and what the enclave process must do with them.
enum HostileFrames {
    static let deadline = Duration.seconds(10)

    static func reply(_ socket: EnclaveSocket) throws -> EnclaveReply {
        let length = try EnclaveFrame.length(header: try socket.read(exactly: 4, deadline: .now + deadline))
        return try EnclaveReply(encoded: try socket.read(exactly: length, deadline: .now + deadline))
    }

    static func isRefusal(_ reply: EnclaveReply) -> Bool {
        if case .failure(.badRequest) = reply { return true }
        return false
    }

    static func check(socketPath: String, file: StaticString = #filePath, line: UInt = #line) throws {
        // Garbage and an empty frame: refused, and the same connection still answers a good request.
        let socket = try EnclaveSocket.connect(to: try EnclaveEndpoint(socketPath))
        for garbage in [[0xde, 0xad, 0xbe, 0xef, 0x00], [], RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(3)), .bytes([1])])),
                        RLP.encode(.list([.uint(UInt64(9)), .uint(UInt64(1))]))] as [[UInt8]] {
            try socket.write(EnclaveFrame.encode(garbage), deadline: .now + deadline)
            XCTAssertTrue(isRefusal(try reply(socket)), "garbage \(garbage) was not refused", file: file, line: line)
        }
        try socket.write(EnclaveFrame.encode(EnclaveRequest.info.encoded), deadline: .now + deadline)
        guard case .info = try reply(socket) else { return XCTFail("no info after garbage", file: file, line: line) }

        // An oversized length: refused, then the connection is closed (the next frame cannot be found).
        let big = try EnclaveSocket.connect(to: try EnclaveEndpoint(socketPath))
        try big.write([0xff, 0xff, 0xff, 0xff], deadline: .now + deadline)
        XCTAssertTrue(isRefusal(try reply(big)), file: file, line: line)
        XCTAssertThrowsError(try big.read(exactly: 1, deadline: .now + deadline), file: file, line: line) {
            XCTAssertEqual($0 as? EnclaveSocketError, .closedByPeer, file: file, line: line)
        }

        // A truncated frame, then the peer goes away.
        let cut = try EnclaveSocket.connect(to: try EnclaveEndpoint(socketPath))
        try cut.write([0, 0, 0, 100] + [UInt8](repeating: 7, count: 10), deadline: .now + deadline)
        cut.close()

        // A header alone, cut in the middle.
        let half = try EnclaveSocket.connect(to: try EnclaveEndpoint(socketPath))
        try half.write([0, 0], deadline: .now + deadline)
        half.close()
    }
}
