import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrRPC
import Logging

/// The untrusted half of the oracle: watches the NOS contract's `RequestInfo` logs through a node's
/// JSON-RPC, hands every pending request to the ``OracleEnclave`` and submits its signed answers
/// with `deliver`. It keeps no state the enclave depends on: after a restart it scans again and
/// answers whatever is still pending, so nothing is lost and nothing is answered twice.
public final class OracleRelay: @unchecked Sendable {
    public let oracle: OracleEnclave
    public let transactor: Transactor
    public let concurrency: Int
    private let logger: Logger
    private var scanned: UInt64?
    /// Blocks per `eth_getLogs` query.
    public static let blocksPerLogQuery: UInt64 = 10_000
    /// Blocks scanned per round; a relay far behind (or told an absurd head) catches up over rounds.
    public static let maxBlocksPerRound: UInt64 = 1_000_000
    /// Pending requests that named a callback: their deliveries carry its gas.
    private var withCallback = Set<UInt256>()
    private var client: EthClient { transactor.client }

    /// Why the relay could not talk to the NOS contract or the registry.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// The NOS contract (or the EnclaveRegistry) has no function of this name.
        case unknownFunction(String)

        public var description: String {
            switch self {
            case .unknownFunction(let name): return "no function \(name)"
            }
        }
    }

    /// What one round did.
    public struct Round: Sendable {
        public var delivered: [OracleAnswer] = []
        public var failed: [(id: UInt256, why: String)] = []
    }

    public init(oracle: OracleEnclave, transactor: Transactor, concurrency: Int = 32, logger: Logger) {
        self.oracle = oracle; self.transactor = transactor; self.concurrency = max(1, concurrency); self.logger = logger
    }

    // MARK: Registration

    /// Keeps the enclave registered and published: registers its key in the ``EnclaveRegistry``
    /// (role oracle, the relay's account as registrant and payee) when it has no live registration
    /// by this account or half of its registration period has passed, then publishes it with NOS's
    /// `registerOracle` unless NOS already names it. Returns whether it sent anything; cheap when
    /// nothing is due (the head and two views), so a relay calls it every few minutes.
    @discardableResult
    public func registerIfNeeded() throws -> Bool {
        let enclave = oracle.enclave.publicKey.address, registrant = transactor.signer.address
        var sent = false
        let now = try client.block(number: .latest)?.timestamp ?? 0
        let current = try registration(of: enclave)
        if current?.registrant != registrant || current.map({ Self.renewalDue(registeredAt: $0.registeredAt, expiresAt: $0.expiresAt, now: now) }) ?? true {
            let binding = EnclaveRegistry.registrationBinding(chainID: oracle.chainID, registrant: registrant, role: .oracle)
            let evidence = try oracle.enclave.attest(userData: binding)
            let data = try ABI.encodeCall(try registryFunction("register").signature,
                                          [.bytes(evidence.encoded), .uint(UInt256(UInt64(EnclaveRole.oracle.rawValue)))])
            try transactor.waitForSuccess(try transactor.send(to: EnclaveRegistry.address, data: data))
            logger.notice(current == nil ? "oracle enclave registered" : "oracle enclave registration renewed",
                          metadata: ["enclave": "\(enclave.checksummed)", "registrant": "\(registrant.checksummed)"])
            sent = true
        }
        if try view("oracleKey", []).first?.addressValue != enclave {
            try send("registerOracle", [.address(enclave)])
            logger.notice("oracle enclave published", metadata: ["enclave": "\(enclave.checksummed)", "payee": "\(registrant.checksummed)"])
            sent = true
        }
        return sent
    }

    /// Whether a registration should be renewed at `now`: once half of its period has passed.
    public static func renewalDue(registeredAt: UInt64, expiresAt: UInt64, now: UInt64) -> Bool {
        guard expiresAt > registeredAt else { return true }
        return now >= registeredAt + (expiresAt - registeredAt) / 2
    }

    /// The enclave's oracle registration as the registry's `registration` view reports it (nil when none is live).
    private func registration(of enclave: Address) throws -> (registrant: Address, registeredAt: UInt64, expiresAt: UInt64)? {
        let f = try registryFunction("registration")
        let request = EthClient.CallRequest(to: EnclaveRegistry.address,
                                            data: try ABI.encodeCall(f.signature, [.address(enclave), .uint(UInt256(UInt64(EnclaveRole.oracle.rawValue)))]))
        let values = try ABI.decode(f.outputTypes, from: try client.call(request))
        // Read by name, so the view's field order is the registry's business.
        let out = Dictionary(zip(f.outputs.map(\.name), values), uniquingKeysWith: { first, _ in first })
        guard out["live"] == .bool(true), let registrant = out["registrant"]?.addressValue, let registeredAt = out["registeredAt"]?.uintValue?.uint64,
              let expiresAt = out["expiresAt"]?.uintValue?.uint64 else { return nil }
        return (registrant, registeredAt, expiresAt)
    }

    private func registryFunction(_ name: String) throws -> ContractInterface.Function {
        guard let f = EnclaveRegistry.interface.functions.first(where: { $0.name == name }) else { throw Failure.unknownFunction(name) }
        return f
    }

    // MARK: Rounds

    /// Scans new `RequestInfo` logs, answers the pending requests and delivers the answers.
    public func tick() async throws -> Round {
        let head = try client.blockNumber()
        // The head is the node's word: an absurd one (2^64 − 1) must neither overflow these sums nor
        // start an endless scan, so each round covers at most `maxBlocksPerRound` and the rest waits.
        let from: UInt64
        if let scanned {
            guard scanned < head else { return Round() }
            from = scanned + 1
        } else {
            from = 0
        }
        let to = head - from >= Self.maxBlocksPerRound ? from + (Self.maxBlocksPerRound - 1) : head
        var requests = [OracleRequest]()
        var start = from
        while true {
            let end = to - start >= Self.blocksPerLogQuery ? start + (Self.blocksPerLogQuery - 1) : to
            requests += try requestLogs(from: start, to: end)
            if end == to { break }
            start = end + 1
        }
        // Only what is still pending (a restart scans answered requests again).
        requests = try requests.filter { try status($0.id) == NOSContract.Status.pending.rawValue }
        logger.debug("scanned", metadata: ["from": "\(from)", "to": "\(to)", "pending": "\(requests.count)"])
        var round = Round()
        for chunk in stride(from: 0, to: requests.count, by: concurrency).map({ Array(requests[$0..<min(requests.count, $0 + concurrency)]) }) {
            let results = await withTaskGroup(of: (UInt256, Result<OracleAnswer, Error>).self) { group in
                for r in chunk { group.addTask { [oracle] in do { return (r.id, .success(try await oracle.answer(r))) } catch { return (r.id, .failure(error)) } } }
                var out = [(UInt256, Result<OracleAnswer, Error>)]()
                for await a in group { out.append(a) }
                return out
            }
            var answers = [OracleAnswer]()
            for (id, result) in results {
                switch result {
                case .success(let a): answers.append(a)
                case .failure(let e):
                    round.failed.append((id, "\(e)"))
                    logger.error("the enclave could not answer", metadata: ["request": "\(id)", "error": "\(e)"])
                }
            }
            // Sent back to back with consecutive nonces, then awaited together.
            var sent = [(OracleAnswer, H256)]()
            var batch = try transactor.batch()
            for a in answers.sorted(by: { $0.id < $1.id }) {
                do {
                    let data = try ABI.encodeCall(NOSContract.deliverSignature,
                                                  [.uint(a.id), .fixedBytes(a.paramsHash.bytes), .uint(UInt256(a.error.rawValue)), .bytes(a.data), .bytes(a.signature)])
                    sent.append((a, try batch.send(to: NOSContract.address, data: data, gasLimit: NOSContract.deliverGasLimit(dataBytes: a.data.count, callback: withCallback.contains(a.id)))))
                } catch {
                    round.failed.append((a.id, "\(error)"))
                    logger.error("deliver refused", metadata: ["request": "\(a.id)", "error": "\(error)"])
                }
            }
            for (a, hash) in sent {
                do {
                    try transactor.waitForSuccess(hash, seconds: 60)
                    round.delivered.append(a)
                    withCallback.remove(a.id)
                    logger.info("delivered", metadata: ["request": "\(a.id)", "error": "\(a.error)", "detail": "\(a.detail)"])
                } catch {
                    round.failed.append((a.id, "\(error)"))
                    logger.error("delivery failed", metadata: ["request": "\(a.id)", "error": "\(error)"])
                }
            }
        }
        // A failed delivery is retried: rescan from before it next round.
        if round.failed.isEmpty { scanned = to }
        return round
    }

    private func requestLogs(from: UInt64, to: UInt64) throws -> [OracleRequest] {
        guard let event = NOSContract.interface.event(named: "RequestInfo") else { return [] }
        let filter = EthClient.LogFilter(addresses: [NOSContract.address], topics: [[event.topic]], fromBlock: .number(from), toBlock: .number(to))
        // A log the event's ABI does not decode is not a request anyone can have paid for: skipped.
        return try client.logs(filter).compactMap { log in
            guard let decoded = NOSContract.interface.decodeLog(topics: log.topics, data: log.data), decoded.arguments.count == 7,
                  let id = decoded.arguments[0].uintValue, let type = decoded.arguments[2].uintValue?.uint64, let t = UInt8(exactly: type),
                  let params = decoded.arguments[3].bytesValue else { return nil }
            if let callback = decoded.arguments[5].addressValue, callback != .zero { withCallback.insert(id) }
            return OracleRequest(id: id, type: t, params: params)
        }
    }

    private func status(_ id: UInt256) throws -> UInt64 {
        try view("getRequest", [.uint(id)])[6].uintValue?.uint64 ?? 0
    }

    private func function(_ name: String) throws -> ContractInterface.Function {
        guard let f = NOSContract.interface.functions.first(where: { $0.name == name }) else { throw Failure.unknownFunction(name) }
        return f
    }

    private func view(_ name: String, _ args: [ABIValue]) throws -> [ABIValue] {
        let f = try function(name)
        let out = try client.call(EthClient.CallRequest(to: NOSContract.address, data: try ABI.encodeCall(f.signature, args)))
        return try ABI.decode(f.outputTypes, from: out)
    }

    private func send(_ name: String, _ args: [ABIValue]) throws {
        let f = try function(name)
        try transactor.waitForSuccess(try transactor.send(to: NOSContract.address, data: try ABI.encodeCall(f.signature, args)))
    }
}
