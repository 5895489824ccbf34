import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import Foundation

/// One request as the relay hands it to the enclave (from a `RequestInfo` log).
public struct OracleRequest: Sendable, Equatable {
    public let id: UInt256
    public let type: UInt8
    public let params: [UInt8]
    /// Who called NOS `request` (the `RequestInfo` log's requester); nil where the relay does not know
    /// one (a scheduled round). A private envelope bound to a requester is answered only for that one.
    public let requester: Address?
    public init(id: UInt256, type: UInt8, params: [UInt8], requester: Address? = nil) {
        self.id = id; self.type = type; self.params = params; self.requester = requester
    }
    public var paramsHash: H256 { Keccak256.h256(params) }
}

/// The signed answer the relay submits as `deliver(id, paramsHash, error, data, signature)`.
public struct OracleAnswer: Sendable, Equatable {
    public let id: UInt256
    public let paramsHash: H256
    public let error: OracleErrorCode
    public let data: [UInt8]
    public let signature: [UInt8]
    /// For the relay's log: what failed (never the plaintext of a private request).
    public let detail: String
}

/// The oracle's code inside the enclave: reads the request (decrypting private ones with the
/// enclave key), fetches the sources, extracts and normalizes the values, and signs the datagram
/// bound to the chain, the NOS contract, the request id and the params hash. The relay only
/// carries bytes in and out: it cannot alter an answer or read a private one.
public struct OracleEnclave: Sendable {
    public let enclave: Enclave
    public let chainID: UInt64
    public let source: DataSource
    public static let maxSources = 16
    public static let maxPaths = 32
    public static let maxReaders = OraclePrivateEnvelope.maxReaders
    /// The longest cause a failed answer carries, in UTF-8 bytes.
    public static let maxCauseBytes = 256

    public init(enclave: Enclave, chainID: UInt64, source: DataSource) { self.enclave = enclave; self.chainID = chainID; self.source = source }

    /// Answers `request`: a value, or an error code saying whose fault the failure is. A public
    /// request's failure carries its cause as `abi(string cause)` (at most ``maxCauseBytes`` of text),
    /// so the requester learns why without the relay's log; a private one carries nothing, since the
    /// cause may name its secret source. A private request's headers and body go to its sources and
    /// nowhere else; with no readers its answer is public (the params stay secret). Throws only when
    /// the enclave cannot sign.
    public func answer(_ request: OracleRequest) async throws -> OracleAnswer {
        var readers = [PublicKey]()
        var isPrivate = false
        var headers = [SourceHeader](), body = [UInt8]()
        let (code, data, detail): (OracleErrorCode, [UInt8], String)
        do {
            guard let (kind, secret) = OracleRequestKind.parse(request.type) else { throw Failure.unknownRequestType(request.type) }
            isPrivate = secret
            var params = request.params
            if secret {
                let opened: [UInt8]
                do { opened = try enclave.decrypt(request.params) } catch { throw Failure.privateParamsNotForThisEnclave }
                let envelope: OraclePrivateEnvelope
                do { envelope = try OraclePrivateEnvelope(decoding: opened) } catch let e as OraclePrivateEnvelope.Malformed {
                    throw Failure.malformedPrivateParams(e.description)
                }
                // A sealed query copied into another request (another lease, a replayer spending the owner's token) is refused.
                if let bound = envelope.requester, bound != request.requester { throw Failure.wrongRequester }
                if kind == .payment, envelope.requester == nil { throw Failure.unboundPayment }
                readers = try envelope.readers.map { k in
                    guard let key = try? PublicKey(k) else { throw Failure.readerKeyNotOnCurve }
                    return key
                }
                (params, headers, body) = (envelope.params, envelope.headers, envelope.body)
            }
            let plain = try await run(kind, params, headers: headers, body: body)
            // No readers: the params were secret, the answer is for everyone (a contract acts on it).
            data = secret && !readers.isEmpty ? try seal(plain, for: readers) : plain
            (code, detail) = (.none, !secret ? "answered" : readers.isEmpty ? "answered publicly (private params)" : "answered privately")
        } catch let f as Failure {
            (code, data, detail) = (f.code, isPrivate ? [] : Self.cause(f.publicCause), isPrivate ? "failed (\(f.code))" : f.description)
        } catch {
            // A value that cannot be encoded as the answer's type (say, out of int256's range).
            (code, data, detail) = (.badData, isPrivate ? [] : Self.cause("\(error)"), isPrivate ? "failed (badData)" : "\(error)")
        }
        let datagram = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: request.id, paramsHash: request.paramsHash,
                                      error: code.rawValue, data: data)
        return OracleAnswer(id: request.id, paramsHash: request.paramsHash, error: code, data: data, signature: try datagram.sign(with: enclave),
                            detail: Self.loggable(detail))
    }

    private func run(_ kind: OracleRequestKind, _ params: [UInt8], headers: [SourceHeader], body: [UInt8]) async throws -> [UInt8] {
        // Every source of the request gets its headers and body.
        @Sendable func fetch(_ url: String) async throws -> [UInt8] { try await self.fetch(SourceRequest(url: url, headers: headers, body: body)) }
        @Sendable func document(_ url: String) async throws -> OracleJSON { try await self.document(SourceRequest(url: url, headers: headers, body: body)) }
        switch kind {
        case .single:
            guard let v = try? ABI.decode([.string, .string, .uint(bits: 8)], from: params), case .string(let url) = v[0], case .string(let path) = v[1],
                  let decimals = v[2].uintValue?.uint64 else { throw Failure.malformedParams(.single) }
            let pointer = try pointer(path)
            let value = try pointer.resolve(inJSON: try await document(url))
            if decimals == 255 { return try ABI.encode([.string(try text(of: value))], types: [.string]) }
            let number = try decimal(value, decimals: Int(decimals))
            return try ABI.encode([.int(try number.int256())], types: [.int(bits: 256)])
        case .median:
            guard let v = try? ABI.decode([.array(.string), .string, .uint(bits: 8), .uint(bits: 8), .uint(bits: 16)], from: params),
                  let urls = v[0].arrayValue?.compactMap({ a -> String? in if case .string(let s) = a { return s } else { return nil } }),
                  case .string(let path) = v[1], let decimals = v[2].uintValue?.uint64, let quorum = v[3].uintValue?.uint64,
                  let bps = v[4].uintValue?.uint64, !urls.isEmpty, urls.count <= Self.maxSources, quorum >= 1, Int(quorum) <= urls.count, decimals <= 77 else {
                throw Failure.malformedParams(.median)
            }
            let pointer = try pointer(path)
            // Every source at once; one that fails or lies is just left out of the quorum.
            let values = await withTaskGroup(of: DecimalValue?.self) { group in
                for url in urls {
                    group.addTask { try? decimal(pointer.resolve(inJSON: await document(url)), decimals: Int(decimals)) }
                }
                var out = [DecimalValue]()
                for await v in group { if let v { out.append(v) } }
                return out
            }
            let aggregate = MedianAggregate(quorum: Int(quorum), maxDeviationBps: bps)
            let median: DecimalValue
            do { median = try aggregate.aggregate(values) } catch let e as OracleError { throw Failure.noQuorum(e) }
            let agreeing = values.filter { aggregate.within($0, of: median) }.count
            return try ABI.encode([.int(try median.int256()), .uint(UInt256(agreeing))], types: [.int(bits: 256), .uint(bits: 8)])
        case .bulk:
            guard let v = try? ABI.decode([.string, .uint(bits: 8), .array(.string)], from: params), case .string(let url) = v[0],
                  let format = v[1].uintValue?.uint64, format <= 1,
                  let paths = v[2].arrayValue?.compactMap({ a -> String? in if case .string(let s) = a { return s } else { return nil } }),
                  paths.count <= Self.maxPaths else {
                throw Failure.malformedParams(.bulk)
            }
            let body = try await fetch(url)
            var values = [ABIValue]()
            if format == 0 {
                let doc: OracleJSON
                do { doc = try OracleJSON(parsing: body) } catch let e as OracleError { throw Failure.badDocument(e) }
                for p in paths { values.append(.string(try text(of: try pointer(p).resolve(inJSON: doc)))) }
            } else {
                let doc: XMLDocumentTree
                do { doc = try XMLDocumentTree(parsing: body) } catch let e as OracleError { throw Failure.badDocument(e) }
                for p in paths {
                    let path: XMLPath
                    do { path = try XMLPath(p) } catch let e as OracleError { throw Failure.invalidPath(e) }
                    do { values.append(.string(try path.resolve(in: doc))) } catch let e as OracleError { throw Failure.pathNotFound(e) }
                }
            }
            return try ABI.encode([.fixedBytes(Keccak256.hash(body)), .array(values)], types: [.fixedBytes(32), .array(.string)])
        case .payment:
            let query: PaymentQuery
            do { query = try PaymentQuery(params: params) } catch let e as PaymentQuery.Malformed { throw Failure.malformedPayment(e.description) }
            let status = try await document(query.url)
            do { return try PaymentProof.answer(query, document: status).encoded() } catch let e as OracleError {
                if case .pathNotFound = e { throw Failure.pathNotFound(e) }
                throw Failure.badPaymentStatus(e)
            }
        }
    }

    private func fetch(_ request: SourceRequest) async throws -> [UInt8] {
        do { return try await source.fetch(request) } catch let e as DataSourceError { throw Failure.source(e) } catch {
            throw Failure.sourceFailed(error)
        }
    }

    private func document(_ request: SourceRequest) async throws -> OracleJSON {
        let body = try await fetch(request)
        do { return try OracleJSON(parsing: body) } catch let e as OracleError { throw Failure.badDocument(e) }
    }

    private func pointer(_ text: String) throws -> JSONPointer {
        do { return try JSONPointer(text) } catch let e as OracleError { throw Failure.invalidPath(e) }
    }

    private func decimal(_ value: OracleJSON, decimals: Int) throws -> DecimalValue {
        guard decimals <= 77 else { throw Failure.decimalsOutOfRange(decimals) }
        let text: String
        switch value {
        case .number(let n): text = n
        case .string(let s): text = s
        default: throw Failure.notANumber
        }
        do { return try DecimalValue(text, decimals: decimals) } catch let e as OracleError { throw Failure.badNumber(e) }
    }

    private func text(of value: OracleJSON) throws -> String {
        switch value {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        default: throw Failure.notAScalar
        }
    }

    /// A failure's data: `abi(string cause)`, the cause cut to ``maxCauseBytes`` at a character boundary.
    static func cause(_ text: String) -> [UInt8] {
        // Walks at most maxCauseBytes of the text: a cause can quote a source's (megabyte) value.
        var cut = "", bytes = 0
        for character in text {
            let size = character.utf8.count
            guard bytes + size <= maxCauseBytes else { break }
            cut.append(character)
            bytes += size
        }
        return (try? ABI.encode([.string(cut)], types: [.string])) ?? []
    }

    /// The cause of a failed answer, read back: nil when `data` is not `abi(string)` of at most ``maxCauseBytes``.
    public static func cause(of data: [UInt8]) -> String? {
        guard let value = try? ABI.decode([.string], from: data).first, case .string(let text) = value, text.utf8.count <= maxCauseBytes else {
            return nil
        }
        return text
    }

    /// `text` as one log line: control characters (a source's value can hold line feeds that would
    /// forge log lines) become `?`, and at most ``maxDetailCharacters`` characters are kept.
    static func loggable(_ text: String) -> String {
        var out = "", count = 0
        for scalar in text.unicodeScalars {
            guard count < maxDetailCharacters else { out += "…"; break }
            out.unicodeScalars.append(scalar.properties.generalCategory == .control ? "?" : scalar)
            count += 1
        }
        return out
    }

    /// The longest detail the relay logs for one answer.
    public static let maxDetailCharacters = 512

    /// The answer encrypted to each reader: `abi(bytes[] ciphertexts)`, in the readers' order.
    private func seal(_ plain: [UInt8], for readers: [PublicKey]) throws -> [UInt8] {
        try ABI.encode([.array(try readers.map { .bytes(try ECIES.encrypt(plain, to: $0)) })], types: [.array(.bytes)])
    }
}

extension JSONPointer {
    /// Resolves, mapping a missing path to the oracle's error code.
    func resolve(inJSON document: OracleJSON) throws -> OracleJSON {
        do { return try resolve(in: document) } catch let e as OracleError { throw OracleEnclave.Failure.pathNotFound(e) }
    }
}
