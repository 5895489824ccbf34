import AnkrChain
import AnkrPrimitives

/// Why a frame could not be read as a message.
public enum MessageError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case unknownCode(UInt64)
    case tooMany(what: String, count: Int, limit: Int)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed message: \(why)"
        case .unknownCode(let c): return "unknown message code \(c)"
        case .tooMany(let w, let c, let l): return "\(c) \(w) exceed the limit of \(l)"
        }
    }
}

/// The first message each side sends.
public struct Hello: Equatable, Sendable {
    /// 2: the handshake signature binds both challenges and both node keys.
    public static let protocolVersion: UInt64 = 2
    public var version: UInt64
    public var chainID: UInt64
    public var genesisHash: H256
    /// The sender's node key, 33-byte compressed.
    public var nodeKey: [UInt8]
    /// A fresh random challenge the other side must sign.
    public var challenge: [UInt8]
    /// The TCP port the sender accepts connections on (0: none), for peer exchange.
    public var listenPort: UInt64

    public init(version: UInt64, chainID: UInt64, genesisHash: H256, nodeKey: [UInt8], challenge: [UInt8], listenPort: UInt64) {
        self.version = version; self.chainID = chainID; self.genesisHash = genesisHash
        self.nodeKey = nodeKey; self.challenge = challenge; self.listenPort = listenPort
    }
}

/// A chain position: what a peer has.
public struct ChainStatus: Equatable, Sendable {
    public var headNumber: UInt64
    public var headHash: H256
    public var totalDifficulty: UInt256

    public init(headNumber: UInt64, headHash: H256, totalDifficulty: UInt256) {
        self.headNumber = headNumber; self.headHash = headHash; self.totalDifficulty = totalDifficulty
    }
}

/// A block announced by hash.
public struct BlockAnnouncement: Equatable, Sendable {
    public var hash: H256
    public var number: UInt64
    public init(hash: H256, number: UInt64) { self.hash = hash; self.number = number }
}

/// A reachable peer address.
public struct PeerEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) { self.host = host; self.port = port }
    public var description: String { "\(host):\(port)" }

    /// Parses `host:port`.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let p = Int(text[text.index(after: colon)...]), (1...65535).contains(p) else { return nil }
        host = String(text[..<colon])
        port = p
        guard !host.isEmpty else { return nil }
    }
}

/// Everything peers say to each other. On the wire: `RLP([code, fields…])` inside a frame.
public enum Message: Equatable, Sendable {
    case hello(Hello)
    case auth(signature: [UInt8])
    case status(ChainStatus)
    case ping(UInt64)
    case pong(UInt64)
    case newBlock(Block, totalDifficulty: UInt256)
    /// Announces blocks by hash and number; peers fetch what they lack.
    case newBlockHashes([BlockAnnouncement])
    case transactions([Transaction])
    case getHeaders(requestID: UInt64, start: UInt64, count: UInt64)
    case headers(requestID: UInt64, [BlockHeader])
    case getBodies(requestID: UInt64, [H256])
    case bodies(requestID: UInt64, [[Transaction]])
    case getPeers
    case peers([PeerEndpoint])
    case disconnect(String)

    /// Most headers one request may ask for or one response carry.
    public static let maxHeaders = 512
    /// Most bodies per request/response.
    public static let maxBodies = 128
    /// Most transactions per gossip message.
    public static let maxTransactions = 1024
    public static let maxPeers = 64

    var code: UInt64 {
        switch self {
        case .hello: return 0
        case .auth: return 1
        case .status: return 2
        case .ping: return 3
        case .pong: return 4
        case .newBlock: return 5
        case .transactions: return 6
        case .getHeaders: return 7
        case .headers: return 8
        case .getBodies: return 9
        case .bodies: return 10
        case .getPeers: return 11
        case .peers: return 12
        case .disconnect: return 13
        case .newBlockHashes: return 14
        }
    }

    public var encoded: [UInt8] {
        let fields: [RLPItem]
        switch self {
        case .hello(let h):
            fields = [.uint(h.version), .uint(h.chainID), .bytes(h.genesisHash.bytes), .bytes(h.nodeKey), .bytes(h.challenge), .uint(h.listenPort)]
        case .auth(let sig): fields = [.bytes(sig)]
        case .status(let s): fields = [.uint(s.headNumber), .bytes(s.headHash.bytes), .uint(s.totalDifficulty)]
        case .ping(let n), .pong(let n): fields = [.uint(n)]
        case .newBlock(let b, let td): fields = [.bytes(b.encoded), .uint(td)]
        case .transactions(let txs): fields = [.list(txs.map { .bytes($0.encoded) })]
        case .getHeaders(let id, let start, let count): fields = [.uint(id), .uint(start), .uint(count)]
        case .headers(let id, let hs): fields = [.uint(id), .list(hs.map { .bytes($0.encoded) })]
        case .getBodies(let id, let hashes): fields = [.uint(id), .list(hashes.map { .bytes($0.bytes) })]
        case .bodies(let id, let bodies): fields = [.uint(id), .list(bodies.map { .list($0.map { .bytes($0.encoded) }) })]
        case .getPeers: fields = []
        case .peers(let ps): fields = [.list(ps.map { .list([.bytes(Array($0.host.utf8)), .uint(UInt64($0.port))]) })]
        case .disconnect(let why): fields = [.bytes(Array(why.utf8.prefix(256)))]
        case .newBlockHashes(let list): fields = [.list(list.map { .list([.bytes($0.hash.bytes), .uint($0.number)]) })]
        }
        return RLP.encode(.list([.uint(code)] + fields))
    }

    /// Strict decoding: exact field counts, canonical integers, bounded lists.
    public init(encoded: [UInt8]) throws {
        do {
            let items = try RLP.decode(encoded).listValue()
            guard let first = items.first else { throw MessageError.malformed("empty message") }
            let code = try first.uint64Value()
            let f = Array(items.dropFirst())
            func expect(_ n: Int) throws {
                guard f.count == n else { throw MessageError.malformed("code \(code) needs \(n) fields, has \(f.count)") }
            }
            func bounded(_ item: RLPItem, _ what: String, _ limit: Int) throws -> [RLPItem] {
                let l = try item.listValue()
                guard l.count <= limit else { throw MessageError.tooMany(what: what, count: l.count, limit: limit) }
                return l
            }
            switch code {
            case 0:
                try expect(6)
                let key = try f[3].bytesValue(), challenge = try f[4].bytesValue()
                guard key.count == 33, challenge.count == 32 else { throw MessageError.malformed("hello key or challenge has the wrong size") }
                self = .hello(Hello(version: try f[0].uint64Value(), chainID: try f[1].uint64Value(), genesisHash: try f[2].h256Value(),
                                    nodeKey: key, challenge: challenge, listenPort: try f[5].uint64Value()))
            case 1:
                try expect(1)
                let sig = try f[0].bytesValue()
                guard sig.count == 65 else { throw MessageError.malformed("auth signature must be 65 bytes") }
                self = .auth(signature: sig)
            case 2:
                try expect(3)
                self = .status(ChainStatus(headNumber: try f[0].uint64Value(), headHash: try f[1].h256Value(), totalDifficulty: try f[2].uint256Value()))
            case 3: try expect(1); self = .ping(try f[0].uint64Value())
            case 4: try expect(1); self = .pong(try f[0].uint64Value())
            case 5:
                try expect(2)
                self = .newBlock(try Block(encoded: f[0].bytesValue()), totalDifficulty: try f[1].uint256Value())
            case 6:
                try expect(1)
                self = .transactions(try bounded(f[0], "transactions", Self.maxTransactions).map { try Transaction(raw: $0.bytesValue()) })
            case 7:
                try expect(3)
                let count = try f[2].uint64Value()
                guard count <= UInt64(Self.maxHeaders) else { throw MessageError.tooMany(what: "headers requested", count: Int(min(count, 1 << 30)), limit: Self.maxHeaders) }
                self = .getHeaders(requestID: try f[0].uint64Value(), start: try f[1].uint64Value(), count: count)
            case 8:
                try expect(2)
                self = .headers(requestID: try f[0].uint64Value(),
                                try bounded(f[1], "headers", Self.maxHeaders).map { try BlockHeader(encoded: $0.bytesValue()) })
            case 9:
                try expect(2)
                self = .getBodies(requestID: try f[0].uint64Value(), try bounded(f[1], "bodies requested", Self.maxBodies).map { try $0.h256Value() })
            case 10:
                try expect(2)
                self = .bodies(requestID: try f[0].uint64Value(), try bounded(f[1], "bodies", Self.maxBodies).map { body in
                    try body.listValue().map { try Transaction(raw: $0.bytesValue()) }
                })
            case 11: try expect(0); self = .getPeers
            case 12:
                try expect(1)
                self = .peers(try bounded(f[0], "peers", Self.maxPeers).map { item in
                    let p = try item.listValue()
                    guard p.count == 2, let host = String(validating: try p[0].bytesValue(), as: UTF8.self), host.count <= 255,
                          let port = Int(exactly: try p[1].uint64Value()), (1...65535).contains(port) else {
                        throw MessageError.malformed("bad peer endpoint")
                    }
                    return PeerEndpoint(host: host, port: port)
                })
            case 13:
                try expect(1)
                self = .disconnect(String(decoding: try f[0].bytesValue().prefix(256), as: UTF8.self))
            case 14:
                try expect(1)
                self = .newBlockHashes(try bounded(f[0], "announcements", Self.maxHeaders).map { item in
                    let pair = try item.listValue()
                    guard pair.count == 2 else { throw MessageError.malformed("announcement needs hash and number") }
                    return BlockAnnouncement(hash: try pair[0].h256Value(), number: try pair[1].uint64Value())
                })
            default:
                throw MessageError.unknownCode(code)
            }
        } catch let e as MessageError {
            throw e
        } catch {
            throw MessageError.malformed("\(error)")
        }
    }
}
