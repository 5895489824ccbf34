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
    public init(id: UInt256, type: UInt8, params: [UInt8]) { self.id = id; self.type = type; self.params = params }
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
    public static let maxReaders = 8
    /// The longest cause a failed answer carries, in UTF-8 bytes.
    public static let maxCauseBytes = 256

    public init(enclave: Enclave, chainID: UInt64, source: DataSource) { self.enclave = enclave; self.chainID = chainID; self.source = source }

    /// Answers `request`: a value, or an error code saying whose fault the failure is. A public
    /// request's failure carries its cause as `abi(string cause)` (at most ``maxCauseBytes`` of text),
    /// so the requester learns why without the relay's log; a private one carries nothing, since the
    /// cause may name its secret source. Throws only when the enclave cannot sign.
    public func answer(_ request: OracleRequest) async throws -> OracleAnswer {
        var readers = [PublicKey]()
        var isPrivate = false
        let (code, data, detail): (OracleErrorCode, [UInt8], String)
        do {
            guard let (kind, secret) = OracleRequestKind.parse(request.type) else { throw Failure.unknownRequestType(request.type) }
            isPrivate = secret
            var params = request.params
            if secret {
                let opened: [UInt8]
                do { opened = try enclave.decrypt(request.params) } catch { throw Failure.privateParamsNotForThisEnclave }
                guard let v = try? ABI.decode([.bytes, .array(.bytes)], from: opened), let inner = v[0].bytesValue,
                      let keys = v[1].arrayValue?.compactMap({ $0.bytesValue }), !keys.isEmpty, keys.count <= Self.maxReaders else {
                    throw Failure.malformedPrivateParams
                }
                readers = try keys.map { k in
                    guard let key = try? PublicKey(k) else { throw Failure.readerKeyNotOnCurve }
                    return key
                }
                params = inner
            }
            let plain = try await run(kind, params)
            data = secret ? try seal(plain, for: readers) : plain
            (code, detail) = (.none, secret ? "answered privately" : "answered")
        } catch let f as Failure {
            (code, data, detail) = (f.code, isPrivate ? [] : Self.cause(f.publicCause), isPrivate ? "failed (\(f.code))" : f.description)
        } catch {
            // A value that cannot be encoded as the answer's type (say, out of int256's range).
            (code, data, detail) = (.badData, isPrivate ? [] : Self.cause("\(error)"), isPrivate ? "failed (badData)" : "\(error)")
        }
        let datagram = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: request.id, paramsHash: request.paramsHash,
                                      error: code.rawValue, data: data)
        return OracleAnswer(id: request.id, paramsHash: request.paramsHash, error: code, data: data, signature: try datagram.sign(with: enclave),
                            detail: detail)
    }

    private func run(_ kind: OracleRequestKind, _ params: [UInt8]) async throws -> [UInt8] {
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
        }
    }

    private func fetch(_ url: String) async throws -> [UInt8] {
        do { return try await source.fetch(url) } catch let e as DataSourceError { throw Failure.source(e) } catch {
            throw Failure.sourceFailed(error)
        }
    }

    private func document(_ url: String) async throws -> OracleJSON {
        let body = try await fetch(url)
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
