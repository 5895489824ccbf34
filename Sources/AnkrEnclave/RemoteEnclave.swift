import AnkrCrypto
import AnkrPrimitives
import AnkrSandbox
import Foundation

/// The node's side of the enclave process (`ankr-enclave`): an ``Enclave`` whose every call is a
/// request over the socket at ``socketPath`` (a Unix socket path, or `tcp://127.0.0.1:PORT`). Each
/// call waits at most ``timeout`` (a subtask: its deadline plus ``timeout``); a dead, stalled or
/// lying process gives a ``RemoteEnclaveError``, never a hang or a trap. The connection is re-opened
/// after a failure, and refused if the process behind it has another key or measurement.
public final class RemoteEnclave: Enclave, @unchecked Sendable {
    public let socketPath: String
    private let endpoint: EnclaveEndpoint
    public let timeout: Duration
    public let measurement: H256
    public let publicKey: PublicKey

    private let lock = NSLock()
    private var connection: EnclaveSocket?
    /// Modules sent on the current connection; later subtasks name them by hash.
    private var sentModules: Set<H256> = []
    private static let maxRememberedModules = 256

    /// Connects to the enclave process at `socketPath` and reads its measurement and key.
    public init(socketPath: String, timeout: Duration = .seconds(10)) throws {
        self.socketPath = socketPath
        self.timeout = timeout
        let socket: EnclaveSocket
        do throws(EnclaveSocketError) {
            endpoint = try EnclaveEndpoint(socketPath)
            socket = try EnclaveSocket.connect(to: endpoint)
        } catch {
            throw RemoteEnclaveError.unreachable(path: socketPath, error)
        }
        let (measurement, key) = try Self.identity(over: socket, timeout: min(timeout, .seconds(86_400)))
        self.measurement = measurement
        self.publicKey = key
        self.connection = socket
    }

    private static func identity(over socket: EnclaveSocket, timeout: Duration) throws -> (H256, PublicKey) {
        let reply = try exchange(.info, over: socket, operation: "info", timeout: timeout)
        guard case .info(let measurement, let keyBytes) = reply else { throw unexpected(reply, "info") }
        guard let key = try? PublicKey(keyBytes) else {
            throw RemoteEnclaveError.dishonestReply(operation: "info", reason: "the public key is not a point on secp256k1")
        }
        return (measurement, key)
    }

    private static func unexpected(_ reply: EnclaveReply, _ operation: String) -> any Error {
        if case .failure(let failure) = reply {
            if case .work(let e) = failure { return e }
            return failure
        }
        return RemoteEnclaveError.unexpectedReply(operation: operation, reply: reply.name)
    }

    /// One request and its reply on `socket`, within `timeout`.
    private static func exchange(_ request: EnclaveRequest, over socket: EnclaveSocket, operation: String,
                                 timeout: Duration) throws -> EnclaveReply {
        let payload = request.encoded
        guard payload.count <= EnclaveFrame.maxBytes else {
            throw RemoteEnclaveError.requestTooLarge(bytes: payload.count, limit: EnclaveFrame.maxBytes)
        }
        let deadline = ContinuousClock.now + timeout
        do {
            try socket.write(EnclaveFrame.encode(payload), deadline: deadline)
            let length = try EnclaveFrame.length(header: try socket.read(exactly: EnclaveFrame.headerBytes, deadline: deadline))
            let body = try socket.read(exactly: length, deadline: deadline)
            return try EnclaveReply(encoded: body)
        } catch let e as EnclaveSocketError {
            if e == .timedOut {
                throw RemoteEnclaveError.timedOut(operation: operation, milliseconds: Int64(clamping: milliseconds(timeout)))
            }
            throw RemoteEnclaveError.transport(operation: operation, e)
        } catch let e as EnclaveWireError {
            throw RemoteEnclaveError.malformedReply(operation: operation, e)
        }
    }

    /// Sends `request` on the open connection (opening one, and checking it is the same enclave,
    /// when there is none); any failure to exchange drops the connection so the next call starts clean.
    private func call(_ operation: String, _ request: (Bool) -> EnclaveRequest, extra: Duration = .zero) throws -> EnclaveReply {
        try lock.withLock {
            let socket: EnclaveSocket, fresh: Bool
            if let connection {
                (socket, fresh) = (connection, false)
            } else {
                do throws(EnclaveSocketError) { socket = try EnclaveSocket.connect(to: endpoint) } catch {
                    throw RemoteEnclaveError.unreachable(path: socketPath, error)
                }
                let (m, k) = try Self.identity(over: socket, timeout: min(timeout, .seconds(86_400)))
                guard m == measurement, k == publicKey else { socket.close(); throw RemoteEnclaveError.identityChanged }
                (connection, sentModules, fresh) = (socket, [], true)
            }
            do {
                // The sandbox clamps deadlines to a day; so does the wait, which keeps the sum far from overflow.
                let wait = min(timeout, .seconds(86_400)) + min(extra, .seconds(86_400))
                return try Self.exchange(request(fresh), over: socket, operation: operation, timeout: wait)
            } catch {
                socket.close()
                connection = nil
                throw error
            }
        }
    }

    /// A duration in whole milliseconds, 0 when negative, saturating when huge.
    static func milliseconds(_ d: Duration) -> UInt64 {
        let (seconds, attoseconds) = d.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (ms, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1000)
        return overflow ? .max : ms.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000_000_000)).partialValue
    }

    public func attest(userData: [UInt8]) throws -> AttestationEvidence {
        let reply = try call("attest") { _ in .attest(userData: userData) }
        guard case .evidence(let bytes) = reply else { throw Self.unexpected(reply, "attest") }
        let evidence: AttestationEvidence
        do { evidence = try AttestationEvidence(encoded: bytes) } catch {
            throw RemoteEnclaveError.dishonestReply(operation: "attest", reason: "evidence does not decode: \(error)")
        }
        guard evidence.enclaveKey == publicKey.compressed else {
            throw RemoteEnclaveError.dishonestReply(operation: "attest", reason: "the evidence binds another key")
        }
        return evidence
    }

    public func sign(hash: [UInt8]) throws -> Signature {
        let reply = try call("sign") { _ in .sign(hash: hash) }
        guard case .signature(let bytes) = reply else { throw Self.unexpected(reply, "sign") }
        guard let signature = try? Signature(rsv: bytes), (try? signature.recoverPublicKey(hash: EnclaveMessage.digest(hash))) == publicKey else {
            throw RemoteEnclaveError.dishonestReply(operation: "sign", reason: "the signature is not by the enclave key over this hash")
        }
        return signature
    }

    public func decrypt(_ message: [UInt8]) throws -> [UInt8] {
        let reply = try call("decrypt") { _ in .decrypt(message) }
        guard case .plaintext(let bytes) = reply else { throw Self.unexpected(reply, "decrypt") }
        return bytes
    }

    public func randomBytes(_ count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var out: [UInt8] = []
        while out.count < count {
            let want = min(count - out.count, EnclaveRequest.maxRandomBytes)
            let reply = try call("random bytes") { _ in .randomBytes(count: want) }
            guard case .randomBytes(let bytes) = reply else { throw Self.unexpected(reply, "random bytes") }
            guard bytes.count == want else {
                throw RemoteEnclaveError.dishonestReply(operation: "random bytes", reason: "asked for \(want) bytes, got \(bytes.count)")
            }
            out += bytes
        }
        return out
    }

    public func mine(module: WorkModule, input: [UInt8], fuel: UInt64, target: UInt256, deadline: Duration, template: H256,
                     subtaskID: H256) throws -> MinedSubtask {
        let milliseconds = Self.milliseconds(deadline)
        func request(withBytes: Bool) -> EnclaveRequest {
            .mine(moduleHash: module.hash, module: withBytes ? module.bytes : [], input: input, fuel: fuel, target: target,
                  deadlineMilliseconds: milliseconds, template: template, subtaskID: subtaskID)
        }
        var reply = try call("mine", { fresh in request(withBytes: fresh || !self.sentModules.contains(module.hash)) }, extra: deadline)
        if case .failure(.unknownModule(let hash)) = reply, hash == module.hash {
            // The process restarted or evicted the module: send it once more with its bytes.
            reply = try call("mine", { _ in request(withBytes: true) }, extra: deadline)
        }
        guard case .mined(let mined) = reply else { throw Self.unexpected(reply, "mine") }
        lock.withLock {
            if sentModules.count >= Self.maxRememberedModules { sentModules.removeAll() }
            sentModules.insert(module.hash)
        }
        guard mined.fuelUsed <= fuel else {
            throw RemoteEnclaveError.dishonestReply(operation: "mine", reason: "claims \(mined.fuelUsed) fuel of a \(fuel) budget")
        }
        if mined.won {
            let statement = PoUWStatement(winning: module, input: input, output: mined.output, fuel: mined.fuelUsed, template: template,
                                          target: target, subtaskID: subtaskID)
            guard let signature = try? Signature(rsv: mined.statementSignature),
                  let signer = try? signature.recoverPublicKey(hash: statement.hash), signer == publicKey else {
                throw RemoteEnclaveError.dishonestReply(operation: "mine", reason: "the win's statement is not signed by the enclave key")
            }
        }
        return mined
    }
}
