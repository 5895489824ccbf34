@testable import AnkrEnclave
import Foundation

/// A stand-in for a broken or lying `ankr-enclave`: it listens on a socket and answers each
/// request with whatever `answer` says (nil: no answer at all, the connection stays open).
final class FakeEnclaveProcess: @unchecked Sendable {
    private let listener: EnclaveSocket
    private let path: String
    private let lock = NSLock()
    private var connections: [EnclaveSocket] = []
    private var stopped = false

    init(path: String, answer: @escaping @Sendable (EnclaveRequest) -> EnclaveReply?) throws {
        self.path = path
        listener = try EnclaveSocket.listen(on: .unix(path: path))
        Thread { [self] in
            while let connection = try? listener.accept() {
                let keep = lock.withLock { () -> Bool in
                    if !stopped { connections.append(connection) }
                    return !stopped
                }
                guard keep else { connection.close(); return }
                Thread {
                    while let header = try? connection.read(exactly: 4, deadline: nil),
                          let length = try? EnclaveFrame.length(header: header),
                          let payload = try? connection.read(exactly: length, deadline: nil),
                          let request = try? EnclaveRequest(encoded: payload) {
                        guard let reply = answer(request) else { continue }
                        guard (try? connection.write(EnclaveFrame.encode(reply.encoded), deadline: nil)) != nil else { return }
                    }
                }.start()
            }
        }.start()
    }

    /// Closes the socket and every connection, as a killed process would.
    func stop() {
        let open = lock.withLock { () -> [EnclaveSocket] in
            stopped = true
            return connections
        }
        listener.shutdown()
        for connection in open { connection.shutdown() }
        unlink(path)
    }
}
