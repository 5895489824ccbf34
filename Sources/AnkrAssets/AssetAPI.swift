import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The asset API under `/v1/assets` (openapi/assets.json describes it):
///
/// - `GET /v1/assets/{id}`: the asset's status and its whole history, read at the head; for an asset
///   following a scheduled feed, the feed's latest answer as its valuation with its round, block,
///   time and age in blocks (`valuationAgeBlocks`).
/// - `PUT /v1/assets/{id}`: promote an asset (or, as its owner, replace its metadata hash / valuation).
/// - `POST /v1/assets/{id}/transfer`: give it to another owner.
/// - `DELETE /v1/assets/{id}`: burn it (redeemed off chain).
///
/// Writes carry `{"transaction": "0x…"}`: a raw signed transaction calling the Assets contract's
/// `put` / `transfer` / `burn` for this very id. The owner's signature over it is the
/// authentication — no passwords, and the node holds no keys; its chain id and nonce make it
/// impossible to replay. The API checks that the transaction is the request (contract, function,
/// id, no value), that the signer may make it, and hands it to the pool: `202 Accepted` with the
/// transaction hash; the change is final once mined, which `GET` shows.
public struct AssetAPI: HTTPService {
    public let backend: RPCBackend
    public var pathPrefix: String { "/v1/assets" }

    public init(backend: RPCBackend) { self.backend = backend }

    public func respond(to request: HTTPServiceRequest) -> HTTPServiceResponse {
        let parts = request.path.dropFirst(pathPrefix.count).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard let idText = parts.first, parts.count <= 2 else { return .error(404, "no such resource: \(request.path)") }
        guard let id = Self.parseID(String(idText)) else {
            return .error(400, "an asset id is a decimal or 0x-hex number below 2^256, not \"\(idText.prefix(80))\"")
        }
        do {
            switch (request.method, parts.count == 2 ? parts.last.map(String.init) : nil) {
            case ("GET", nil), ("HEAD", nil): return try status(id)
            case ("PUT", nil): return try write(id, request, function: "put")
            case ("POST", "transfer"): return try write(id, request, function: "transfer")
            case ("DELETE", nil): return try write(id, request, function: "burn")
            case (_, nil), (_, "transfer"): return .error(405, "\(request.method) is not allowed on \(request.path)")
            default: return .error(404, "no such resource: \(request.path)")
            }
        } catch {
            return .error(500, "\(error)")
        }
    }

    /// A decimal or `0x`-hex id below 2^256.
    static func parseID(_ text: String) -> UInt256? {
        guard !text.isEmpty, text.count <= 80 else { return nil }
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return text.count > 2 ? try? UInt256(parsing: text) : nil }
        guard text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return try? UInt256(parsing: text)
    }

    /// The Assets contract's views at one head, so a status and its history always agree.
    private struct Reader {
        let state: WorldState
        let block: BlockContext

        init(_ chain: Blockchain) {
            let head = chain.head
            state = chain.state(at: head)
            block = BlockContext(header: head, chainID: chain.chainID)
        }

        func view(_ name: String, _ id: UInt256) throws -> [ABIValue] {
            try AssetsContract().view(name, [.uint(id)], state: state, block: block)
        }
    }

    private func status(_ id: UInt256) throws -> HTTPServiceResponse {
        let reader = Reader(backend.chain)
        let a = try reader.view("asset", id)
        let status = a[2].uintValue?.uint64 ?? 0
        guard status != AssetsContract.Status.none.rawValue else { return .error(404, "no asset \(id)") }
        let h = try reader.view("history", id).map { $0.arrayValue ?? [] }
        let history: [JSON] = (0..<(h.first?.count ?? 0)).map { i in
            let kind = h[0][i].uintValue?.uint64 ?? 0
            var entry: [String: JSON] = ["change": .string(AssetsContract.Change(rawValue: kind).map { "\($0)" } ?? "unknown"),
                                         "actor": .string((h[1][i].addressValue ?? .zero).checksummed),
                                         "block": Self.number(h[4][i]), "time": Self.number(h[5][i])]
            let counterparty = h[2][i].addressValue ?? .zero, value = h[3][i].fixedBytesValue ?? []
            if counterparty != .zero { entry["to"] = .string(counterparty.checksummed) }
            switch AssetsContract.Change(rawValue: kind) {
            case .promoted, .updated: entry["metadataHash"] = .string(value.hexPrefixed)
            case .valued: entry["valuation"] = .string((UInt256(bigEndian: value) ?? .zero).description)
            default: break
            }
            return .object(entry)
        }
        var body: [String: JSON] = [
            "id": .string(id.description), "owner": .string((a[0].addressValue ?? .zero).checksummed),
            "metadataHash": .string((a[1].fixedBytesValue ?? []).hexPrefixed), "status": .string(AssetsContract.Status.name(of: status)),
            "createdAt": Self.number(a[5]), "updatedAt": Self.number(a[6]), "history": .array(history),
        ]
        if let request = a[4].uintValue, !request.isZero {
            body["valuation"] = .string((a[3].uintValue ?? .zero).description)
            body["valuationRequest"] = .string(request.description)
        }
        // An asset following a scheduled feed shows the feed's latest answer and how old it is.
        let current = try reader.view("currentValuation", id)
        if let schedule = current[2].uintValue, !schedule.isZero {
            body["valuationSchedule"] = .string(schedule.description)
            if let block = current[4].uintValue?.uint64, block > 0 {
                body["valuation"] = .string((current[0].uintValue ?? .zero).description)
                body["valuationRequest"] = .string((current[1].uintValue ?? .zero).description)
                body["valuationRound"] = Self.number(current[3])
                body["valuationBlock"] = Self.number(current[4])
                body["valuationTime"] = Self.number(current[5])
                body["valuationAgeBlocks"] = .int(Int64(clamping: reader.block.number >= block ? reader.block.number - block : 0))
            }
        }
        return .json(200, .object(body))
    }

    /// A block number or timestamp the contract stored, as a JSON number (0 when it does not fit,
    /// which no block or clock reaches).
    private static func number(_ value: ABIValue) -> JSON {
        guard let n = value.uintValue?.uint64, let i = Int64(exactly: n) else { return 0 }
        return .int(i)
    }

    private func write(_ id: UInt256, _ request: HTTPServiceRequest, function: String) throws -> HTTPServiceResponse {
        guard let object = (try? JSON(parsing: request.body))?.object else {
            return .error(400, "the body must be a JSON object {\"transaction\": \"0x…\"}")
        }
        guard let rawText = object["transaction"]?.string, let raw = try? Hex.decode(rawText) else {
            return .error(400, "\"transaction\" must be a 0x-hex raw signed transaction")
        }
        let tx: Transaction, signer: Address
        do {
            tx = try Transaction(raw: raw)
            // Like eth_sendRawTransaction: a transaction without EIP-155 replay protection is refused.
            signer = try tx.validate(chainID: backend.chain.chainID, allowUnprotected: false)
        } catch {
            return .error(400, "invalid transaction: \(error)")
        }
        guard tx.to == AssetsContract.address else { return .error(400, "the transaction must call the Assets contract \(AssetsContract.address.checksummed)") }
        guard tx.value.isZero else { return .error(400, "the transaction must not send value") }
        guard let (f, args) = AssetsContract.interface.decodeCall(tx.data), f.name == function else {
            return .error(400, "the transaction must call \(function) of the Assets contract")
        }
        guard args.first?.uintValue == id else { return .error(400, "the transaction is for another asset id than \(id)") }

        let current = try Reader(backend.chain).view("asset", id)
        let owner = current[0].addressValue ?? .zero
        switch AssetsContract.Status(rawValue: current[2].uintValue?.uint64 ?? 0) ?? .none {
        case .burned: return .error(410, "asset \(id) was burned")
        case .none where function != "put": return .error(404, "no asset \(id)")
        case .none where AssetsContract.reservedOwner(of: id).map { $0 != signer } ?? false:
            return .error(403, "asset id \(id) is reserved for \(AssetsContract.reservedOwner(of: id)?.checksummed ?? "")")
        case .active where owner != signer: return .error(403, "asset \(id) belongs to \(owner.checksummed); the transaction is signed by \(signer.checksummed)")
        default: break
        }
        if function == "transfer", args.count > 1, args[1].addressValue == .zero { return .error(400, "transfer to the zero address; DELETE burns") }
        let hash: H256
        do { hash = try backend.submit(tx) } catch { return .error(409, "the node refuses the transaction: \(error)") }
        return .json(202, ["id": .string(id.description), "transactionHash": .string(hash.description), "signer": .string(signer.checksummed),
                           "function": .string(function)])
    }
}
