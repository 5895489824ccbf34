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
/// It never delivers at a loss: each delivery's price stays within its request's `maxGasPrice` (NOS
/// reimburses the gas at that price), and a request whose cap is below the base fee waits. For a
/// k-of-n request it answers once with its own enclave, as other relays do with theirs; they
/// coordinate through the chain only (`answeredBy`). A k = 1 request is delivered at once only by
/// the relay of the enclave NOS publishes (`oracleKey`); the others step in when it is still pending
/// `fallbackBlocks` after it was made, so n relays do not race n − 1 transactions into reverts. A
/// private request is answered only by the enclave its params are sealed to. Its tip stays within
/// NOS's `maxReimbursedTip`, so every wei it pays is reimbursed.
public final class OracleRelay: @unchecked Sendable {
    public let oracle: OracleEnclave
    public let transactor: Transactor
    public let concurrency: Int
    /// How many blocks a k = 1 request is left to the published enclave's relay before this one delivers it.
    public let fallbackBlocks: UInt64
    let logger: Logger
    private var scanned: UInt64?
    /// Blocks per `eth_getLogs` query.
    public static let blocksPerLogQuery: UInt64 = 10_000
    /// Blocks scanned per round; a relay far behind (or told an absurd head) catches up over rounds.
    public static let maxBlocksPerRound: UInt64 = 1_000_000
    /// Pending requests that named a callback: their deliveries carry its gas.
    private var withCallback = Set<UInt256>()
    /// Pending requests whose cap is below the base fee: answered once it comes down.
    private var waiting: [UInt256: OracleRequest] = [:]
    /// k = 1 requests left to the published enclave's relay until `fallbackBlocks` have passed.
    private var deferred: [UInt256: OracleRequest] = [:]
    /// Requests this relay failed to answer or deliver: looked at again every round while pending (the
    /// scan itself moves on), at most ``maxRetries`` of them.
    private var retrying: [UInt256: OracleRequest] = [:]
    /// The most failed requests kept for another try; beyond it a failure is logged and dropped.
    public static let maxRetries = 1_024
    /// NOS's `maxReimbursedTip`, read once.
    private var maxReimbursedTip: UInt256?
    /// The terms of the requests this relay is answering.
    private var terms: [UInt256: Terms] = [:]
    /// k-of-n requests whose delivery by this relay was refused on chain: never sent again.
    private var lateAnswers = Set<UInt256>()
    /// The scheduled feeds this relay serves (OracleRelay+Schedule.swift).
    let scheduledFeeds = ScheduledFeeds()
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

    public init(oracle: OracleEnclave, transactor: Transactor, concurrency: Int = 32, fallbackBlocks: UInt64 = 5, logger: Logger) {
        self.oracle = oracle; self.transactor = transactor; self.concurrency = max(1, concurrency); self.fallbackBlocks = fallbackBlocks
        self.logger = logger
    }

    // MARK: Registration

    /// Keeps the enclave registered and published: registers its key in the ``EnclaveRegistry``
    /// (role oracle, the relay's account as registrant and payee) when it has no live registration
    /// by this account or half of its registration period has passed, then publishes it with NOS's
    /// `registerOracle` unless NOS already names it or names another operator's live enclave. Returns whether it sent anything; cheap when
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
        return try publishIfNeeded() || sent
    }

    /// Publishes the enclave with NOS's `registerOracle` unless NOS already names it or names another operator's live
    /// enclave (the enclave must be registered, live, by this relay's account); returns whether it sent anything. On an
    /// application chain, whose registry only mirrors the main chain's, this is all a relay does there itself.
    @discardableResult
    public func publishIfNeeded() throws -> Bool {
        let enclave = oracle.enclave.publicKey.address, registrant = transactor.signer.address
        // Another live enclave published by another operator stays published: relays taking turns would
        // move every private request and every first delivery from one enclave to the other and back.
        let published = try view("oracleKey", []).first?.addressValue ?? .zero
        let publishedHolder = published == .zero || published == enclave ? nil : try registration(of: published)
        guard published != enclave, publishedHolder == nil || publishedHolder?.registrant == registrant else { return false }
        try send("registerOracle", [.address(enclave)])
        logger.notice("oracle enclave published", metadata: ["enclave": "\(enclave.checksummed)", "payee": "\(registrant.checksummed)"])
        return true
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
        var requests = [OracleRequest]()
        var to = scanned ?? 0
        if scanned.map({ $0 < head }) ?? true {
            let from = scanned.map { $0 + 1 } ?? 0
            to = head - from >= Self.maxBlocksPerRound ? from + (Self.maxBlocksPerRound - 1) : head
            var start = from
            while true {
                let end = to - start >= Self.blocksPerLogQuery ? start + (Self.blocksPerLogQuery - 1) : to
                requests += try requestLogs(from: start, to: end)
                if end == to { break }
                start = end + 1
            }
            logger.debug("scanned", metadata: ["from": "\(from)", "to": "\(to)", "found": "\(requests.count)"])
            // The scan moves on whatever this round's deliveries do: a request that fails is retried from `retrying`.
            scanned = to
        } else if waiting.isEmpty && deferred.isEmpty && retrying.isEmpty {
            return Round()
        }
        // Requests waiting for the base fee, for the fallback or for another try are looked at again every round.
        var seen = Set(requests.map(\.id))
        for r in (Array(waiting.values) + Array(deferred.values) + Array(retrying.values)).sorted(by: { $0.id < $1.id }) where seen.insert(r.id).inserted {
            requests.append(r)
        }
        var round = Round()
        // Only what is still pending (a restart scans answered requests again); a request the node could not tell
        // about is tried again next round.
        requests = requests.filter { r in
            do {
                guard try status(r.id) == NOSContract.Status.pending.rawValue else {
                    forget(r.id)  // answered (by others too, for k-of-n) or cancelled
                    return false
                }
                return true
            } catch {
                remember(r, failed: "\(error)", in: &round)
                return false
            }
        }
        // The fees and the published enclave are read only when there is something to deliver; when the node cannot
        // tell them, every request is tried again next round.
        var fees = (baseFee: UInt256.zero, tip: UInt256.zero)
        var published: Address?
        if !requests.isEmpty {
            do {
                fees = try currentFees()
                published = try view("oracleKey", []).first?.addressValue
            } catch {
                logger.error("cannot read the fees or the published enclave", metadata: ["error": "\(error)"])
                for r in requests { remember(r, failed: "\(error)", in: &round) }
                requests = []
            }
        }
        requests = requests.filter { r in
            do { return try ready(r, baseFee: fees.baseFee, head: head, published: published) } catch {
                remember(r, failed: "\(error)", in: &round)
                return false
            }
        }
        let byID = Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
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
                    if let r = byID[id] { remember(r, failed: "\(e)", in: &round) } else { round.failed.append((id, "\(e)")) }
                    logger.error("the enclave could not answer", metadata: ["request": "\(id)", "error": "\(e)"])
                }
            }
            // Sent back to back with consecutive nonces, then awaited together; each at a price within its request's cap.
            var sent = [(OracleAnswer, H256)]()
            var nonce = try client.nonce(of: transactor.signer.address)
            for a in answers.sorted(by: { $0.id < $1.id }) {
                do {
                    let data = try ABI.encodeCall(NOSContract.deliverSignature,
                                                  [.uint(a.id), .fixedBytes(a.paramsHash.bytes), .uint(UInt256(a.error.rawValue)), .bytes(a.data), .bytes(a.signature)])
                    let k = terms[a.id]?.enclaves ?? 1
                    // Any answer of a k-of-n request may be the k-th, which stores the majority's answer (up to maxDataBytes).
                    let gasLimit = NOSContract.deliverGasLimit(dataBytes: k > 1 ? NOSContract.maxDataBytes : a.data.count,
                                                               callback: withCallback.contains(a.id), enclaves: k)
                    let price = Self.deliveryPrice(cap: terms[a.id]?.maxGasPrice ?? .zero, baseFee: fees.baseFee, tip: fees.tip)
                    let tx = try Transaction.dynamicFee(chainID: oracle.chainID, nonce: nonce, maxPriorityFeePerGas: price.tip, maxFeePerGas: price.maxFee,
                                                        gasLimit: gasLimit, to: NOSContract.address, value: .zero, data: data).signed(with: transactor.signer)
                    sent.append((a, try client.send(tx)))
                    nonce += 1
                } catch {
                    if let r = byID[a.id] { remember(r, failed: "\(error)", in: &round) } else { round.failed.append((a.id, "\(error)")) }
                    logger.error("deliver refused", metadata: ["request": "\(a.id)", "error": "\(error)"])
                }
            }
            for (a, hash) in sent {
                do {
                    try transactor.waitForSuccess(hash, seconds: 60)
                    round.delivered.append(a)
                    forget(a.id)
                    logger.info("delivered", metadata: ["request": "\(a.id)", "error": "\(a.error)", "detail": "\(a.detail)"])
                } catch {
                    // A k-of-n answer refused on chain came late (the k-th was in) or its platform had answered:
                    // not worth retrying. It stays a failure of this round only.
                    if case TransactorError.failed = error, (terms[a.id]?.enclaves ?? 1) > 1 {
                        lateAnswers.insert(a.id)
                        round.failed.append((a.id, "\(error)"))
                    } else if let r = byID[a.id] {
                        remember(r, failed: "\(error)", in: &round)
                    } else {
                        round.failed.append((a.id, "\(error)"))
                    }
                    logger.error("delivery failed", metadata: ["request": "\(a.id)", "error": "\(error)"])
                }
            }
        }
        round.merge(await deliverScheduledRounds(head: head))
        return round
    }

    // MARK: Fees and k-of-n

    /// A request's terms as NOS states them (`requestTerms`, and `getRequest`'s block).
    public struct Terms: Sendable, Equatable {
        /// The cap per gas (for records older than caps, the one their escrow implies).
        public var maxGasPrice: UInt256
        public var enclaves: UInt8
        /// A private request's only enclave; zero when any may answer.
        public var sealedTo: Address
        /// The block the request was made in.
        public var requestedAt: UInt64
    }

    /// Keeps a request that failed this round for another try next round (while pending; at most ``maxRetries``).
    private func remember(_ r: OracleRequest, failed why: String, in round: inout Round) {
        round.failed.append((r.id, why))
        if retrying[r.id] != nil || retrying.count < Self.maxRetries {
            retrying[r.id] = r
        } else {
            logger.error("too many failed requests to retry: request \(r.id) is dropped until the relay restarts")
        }
    }

    /// Drops everything kept about a request that needs nothing more from this relay.
    private func forget(_ id: UInt256) {
        waiting.removeValue(forKey: id)
        deferred.removeValue(forKey: id)
        retrying.removeValue(forKey: id)
        terms.removeValue(forKey: id)
        withCallback.remove(id)
        lateAnswers.remove(id)
    }

    /// The ids this relay is keeping for a later round: (waiting for the base fee, deferred to the published
    /// enclave's relay, retried after a failure).
    public var keptForLater: (waiting: Set<UInt256>, deferred: Set<UInt256>, retrying: Set<UInt256>) {
        (Set(waiting.keys), Set(deferred.keys), Set(retrying.keys))
    }

    /// The fee fields of a delivery to a request capped at `cap` per gas: at most the cap (so the
    /// reimbursement covers every wei the relay pays), room for the base fee to double below it, and
    /// the suggested tip while it fits.
    public static func deliveryPrice(cap: UInt256, baseFee: UInt256, tip: UInt256) -> (maxFee: UInt256, tip: UInt256) {
        let (doubled, o1) = baseFee.addingReportingOverflow(baseFee)
        let (roomy, o2) = doubled.addingReportingOverflow(tip)
        let maxFee = min(cap, o1 || o2 ? .max : roomy)
        let headroom = maxFee > baseFee ? maxFee &- baseFee : .zero
        return (maxFee, min(tip, headroom))
    }

    /// The head's base fee and the node's suggested tip, at most NOS's `maxReimbursedTip` (a larger one is not reimbursed).
    private func currentFees() throws -> (baseFee: UInt256, tip: UInt256) {
        guard let baseFee = try client.block(number: .latest)?.baseFeePerGas else { throw TransactorError.noBaseFee }
        let bound: UInt256
        if let known = maxReimbursedTip { bound = known } else {
            bound = try view("maxReimbursedTip", []).first?.uintValue ?? .zero
            maxReimbursedTip = bound
        }
        return (baseFee, min(try client.maxPriorityFee(), bound))
    }

    /// Whether to answer `request` now: not a private request sealed to another enclave, not when this
    /// relay's enclave already answered a k-of-n request, not a k = 1 request another relay's published
    /// enclave has `fallbackBlocks` to deliver (it is looked at again each round), not while the base fee
    /// is above its cap (it waits, likewise).
    private func ready(_ request: OracleRequest, baseFee: UInt256, head: UInt64, published: Address?) throws -> Bool {
        guard !lateAnswers.contains(request.id) else { return false }
        let t = try terms(of: request.id)
        let own = oracle.enclave.publicKey.address
        if t.sealedTo != .zero, t.sealedTo != own {
            logger.debug("request \(request.id) is private, sealed to \(t.sealedTo.checksummed): left to its enclave")
            forget(request.id)
            return false
        }
        if t.enclaves > 1, try view("answeredBy", [.uint(request.id), .address(own)]).first == .bool(true) {
            forget(request.id)
            return false
        }
        if t.enclaves <= 1, t.sealedTo == .zero, published != own {
            let (due, overflow) = t.requestedAt.addingReportingOverflow(fallbackBlocks)
            guard !overflow, head >= due else {
                if deferred.updateValue(request, forKey: request.id) == nil {
                    logger.debug("request \(request.id) is left to the published enclave until block \(overflow ? UInt64.max : due)")
                }
                return false
            }
            if deferred.removeValue(forKey: request.id) != nil {
                logger.notice("request \(request.id) still pending \(fallbackBlocks) blocks on: delivering it")
            }
        }
        guard baseFee <= t.maxGasPrice else {
            if waiting.updateValue(request, forKey: request.id) == nil {
                logger.notice("waiting: base fee \(baseFee) above request \(request.id)'s cap \(t.maxGasPrice)")
            }
            return false
        }
        if waiting.removeValue(forKey: request.id) != nil { logger.notice("base fee \(baseFee) within request \(request.id)'s cap again") }
        return true
    }

    private func terms(of id: UInt256) throws -> Terms {
        if let known = terms[id] { return known }
        let out = try view("requestTerms", [.uint(id)])
        let requestedAt = try view("getRequest", [.uint(id)])[7].uintValue?.uint64 ?? 0
        let t = Terms(maxGasPrice: out[0].uintValue ?? .zero, enclaves: UInt8(clamping: out[1].uintValue?.uint64 ?? 1),
                      sealedTo: out.count > 4 ? out[4].addressValue ?? .zero : .zero, requestedAt: requestedAt)
        terms[id] = t
        return t
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
            return OracleRequest(id: id, type: t, params: params, requester: decoded.arguments[1].addressValue)
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
