import AnkrCrypto
import AnkrPrimitives
import AnkrSandbox
import Foundation

/// Serves an ``Enclave`` on a socket (see ``EnclaveEndpoint``): the inside of `ankr-enclave`. One thread per
/// connection (at most ``maxConnections``), requests answered in order. Every frame is read
/// against ``EnclaveFrame/maxBytes`` and decoded strictly; a frame that cannot be decoded gets a
/// ``EnclaveFailure/badRequest(_:)`` reply, and one whose length is refused also closes its
/// connection (there is no way to find the next frame) — the process itself carries on.
public final class EnclaveServer: @unchecked Sendable {
    public let enclave: Enclave
    public let endpoint: EnclaveEndpoint
    /// Connections served at once; more are closed as they arrive.
    public static let maxConnections = 16
    /// How long the rest of a frame may take once its header arrived, and a reply to be taken.
    public static let frameTimeout = Duration.seconds(10)

    private let listener: EnclaveSocket
    private let modules = ModuleCache(capacity: 32)
    private let lock = NSLock()
    private var connections: [ObjectIdentifier: EnclaveSocket] = [:]
    private var stopped = false

    /// Listens on `socketPath`, a Unix socket path (file mode 0600) or `tcp://127.0.0.1:PORT`
    /// (see ``EnclaveEndpoint``); call ``start()`` to accept connections.
    public init(enclave: Enclave, socketPath: String) throws(EnclaveSocketError) {
        self.enclave = enclave
        self.endpoint = try EnclaveEndpoint(socketPath)
        self.listener = try EnclaveSocket.listen(on: endpoint)
    }

    /// Accepts connections on a thread of its own until ``stop()``.
    public func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "ankr-enclave accept"
        thread.start()
    }

    /// Stops accepting, ends every connection and removes the socket file.
    public func stop() {
        let open = lock.withLock { () -> [EnclaveSocket] in
            stopped = true
            return Array(connections.values)
        }
        listener.shutdown()
        for connection in open { connection.shutdown() }
        if case .unix(let path) = endpoint { unlink(path) }
    }

    private func acceptLoop() {
        while true {
            let connection: EnclaveSocket
            do { connection = try listener.accept() } catch {
                if lock.withLock({ stopped }) { listener.close(); return }
                // A transient failure (out of descriptors): back off rather than spin.
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            let admitted = lock.withLock { () -> Bool in
                guard !stopped, connections.count < Self.maxConnections else { return false }
                connections[ObjectIdentifier(connection)] = connection
                return true
            }
            guard admitted else { connection.close(); continue }
            let thread = Thread { [self] in
                serve(connection)
                _ = lock.withLock { connections.removeValue(forKey: ObjectIdentifier(connection)) }
                connection.close()
            }
            thread.name = "ankr-enclave connection"
            // The sandbox's run happens on its own thread; this one only decodes and waits.
            thread.start()
        }
    }

    private func serve(_ connection: EnclaveSocket) {
        while true {
            guard let header = try? connection.read(exactly: EnclaveFrame.headerBytes, deadline: nil) else { return }
            let length: Int
            do {
                length = try EnclaveFrame.length(header: header)
            } catch {
                let refusal = EnclaveReply.failure(.badRequest("\(error)")).encoded
                try? connection.write(EnclaveFrame.encode(refusal), deadline: .now + Self.frameTimeout)
                return
            }
            guard let payload = try? connection.read(exactly: length, deadline: .now + Self.frameTimeout) else { return }
            let reply = handle(payload)
            guard (try? connection.write(EnclaveFrame.encode(reply), deadline: .now + Self.frameTimeout)) != nil else { return }
        }
    }

    /// The reply payload for one request payload (what a connection sends back for a frame).
    public func handle(_ payload: [UInt8]) -> [UInt8] {
        let reply: EnclaveReply
        do {
            reply = answer(try EnclaveRequest(encoded: payload))
        } catch {
            reply = .failure(.badRequest("\(error)"))
        }
        let encoded = reply.encoded
        guard encoded.count <= EnclaveFrame.maxBytes else {
            return EnclaveReply.failure(.badRequest("the reply of \(encoded.count) bytes would exceed the frame limit")).encoded
        }
        return encoded
    }

    /// Carries out one request on the enclave.
    public func answer(_ request: EnclaveRequest) -> EnclaveReply {
        switch request {
        case .info:
            return .info(measurement: enclave.measurement, publicKey: enclave.publicKey.compressed)
        case .attest(let userData):
            do { return .evidence(try enclave.attest(userData: userData).encoded) } catch {
                return .failure(.attestationFailed("\(error)"))
            }
        case .sign(let hash):
            do { return .signature(try enclave.sign(hash: hash).rsv) } catch { return .failure(.signingFailed("\(error)")) }
        case .decrypt(let message):
            do { return .plaintext(try enclave.decrypt(message)) } catch { return .failure(.decryptionFailed("\(error)")) }
        case .randomBytes(let count):
            do { return .randomBytes(try enclave.randomBytes(count)) } catch { return .failure(.randomnessFailed("\(error)")) }
        case .mine(let hash, let bytes, let input, let fuel, let target, let deadlineMilliseconds, let template, let subtaskID):
            let module: WorkModule
            if bytes.isEmpty {
                guard let cached = modules.module(hash) else { return .failure(.unknownModule(hash)) }
                module = cached
            } else {
                guard Keccak256.h256(bytes) == hash else { return .failure(.moduleHashMismatch(hash)) }
                do { module = try WorkModule(bytes: bytes) } catch let e as WorkError { return .failure(.work(e)) } catch {
                    return .failure(.work(.invalidModule("\(error)")))
                }
                modules.insert(module)
            }
            let deadline = Duration.milliseconds(Int64(clamping: deadlineMilliseconds))
            do {
                return .mined(try enclave.mine(module: module, input: input, fuel: fuel, target: target, deadline: deadline, template: template,
                                               subtaskID: subtaskID))
            } catch let e as WorkError {
                return .failure(.work(e))
            } catch {
                return .failure(.miningFailed("\(error)"))
            }
        }
    }
}
