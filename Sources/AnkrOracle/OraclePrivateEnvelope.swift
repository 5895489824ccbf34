import AnkrCrypto
import AnkrPrimitives

/// The plaintext of a private request's params, encrypted (ECIES) to the oracle enclave's key:
/// `abi(bytes params, bytes[] readers)`, or, when the request sends its source headers or a body,
/// `abi(bytes params, bytes[] readers, string[] headers, bytes body)` with each header as
/// `Name: value`, or, bound to its requester, `abi(bytes params, bytes[] readers, string[] headers,
/// bytes body, address requester)`. The forms are told apart by the first head word (the offset of
/// `params`), which a canonical encoding sets to the head's size: 0x40, 0x80 or 0xa0.
///
/// `requester` is the account or contract that must call NOS `request` with these params: the
/// enclave answers `invalidParams` to any other requester, so a sealed query copied out of a
/// public `RequestInfo` log into someone else's request (another lease, a replayer spending the
/// victim's bank token) is worthless. A payment-proof envelope must name one.
///
/// `readers` are the public keys the answer is encrypted to. With none, the params (URL, headers,
/// body: the credentials) stay secret but the answer is published in the clear, so a contract can
/// act on it — the payment-proof datagram a lease checks in its callback.
public struct OraclePrivateEnvelope: Sendable, Equatable {
    public var params: [UInt8]
    public var readers: [[UInt8]]
    public var headers: [SourceHeader]
    public var body: [UInt8]
    /// Who must make the request; nil for the unbound older forms.
    public var requester: Address?

    public static let maxReaders = 8
    public static let maxHeaders = 16
    public static let maxBodyBytes = 2_048

    /// Why an envelope was refused.
    public struct Malformed: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ why: String) { description = why }
    }

    public init(params: [UInt8], readers: [[UInt8]], headers: [SourceHeader] = [], body: [UInt8] = [], requester: Address? = nil) throws {
        guard readers.count <= Self.maxReaders else { throw Malformed("at most \(Self.maxReaders) readers") }
        guard headers.count <= Self.maxHeaders else { throw Malformed("at most \(Self.maxHeaders) headers") }
        guard body.count <= Self.maxBodyBytes else { throw Malformed("a body is at most \(Self.maxBodyBytes) bytes") }
        self.params = params; self.readers = readers; self.headers = headers; self.body = body; self.requester = requester
    }

    /// Reads a decrypted envelope, validating every header.
    public init(decoding bytes: [UInt8]) throws {
        let head = bytes.count >= 32 ? UInt256(bigEndian: Array(bytes.prefix(32))) : .zero
        let bound = head == UInt256(UInt64(0xa0))
        let extended = bound || head == UInt256(UInt64(0x80))
        let types: [ABIType] = bound ? Self.boundTypes : extended ? [.bytes, .array(.bytes), .array(.string), .bytes] : [.bytes, .array(.bytes)]
        guard let v = try? ABI.decode(types, from: bytes), let params = v[0].bytesValue, let list = v[1].arrayValue else {
            throw Malformed("private params are abi(bytes params, bytes[] readers[, string[] headers, bytes body[, address requester]])")
        }
        var requester: Address?
        if bound {
            guard let who = v[4].addressValue else { throw Malformed("the requester is an address") }
            requester = who
        }
        let readers = list.compactMap(\.bytesValue)
        guard readers.count == list.count else { throw Malformed("readers are public keys") }
        var headers = [SourceHeader](), body = [UInt8]()
        if extended {
            guard let lines = v[2].arrayValue, let b = v[3].bytesValue else { throw Malformed("headers are strings and the body bytes") }
            guard lines.count <= Self.maxHeaders else { throw Malformed("at most \(Self.maxHeaders) headers") }
            for line in lines {
                guard case .string(let text) = line else { throw Malformed("headers are strings") }
                do { headers.append(try SourceHeader(line: text)) } catch let e as SourceHeader.Invalid { throw Malformed(e.description) }
            }
            body = b
        }
        try self.init(params: params, readers: readers, headers: headers, body: body, requester: requester)
    }

    static let boundTypes: [ABIType] = [.bytes, .array(.bytes), .array(.string), .bytes, .address]

    /// The envelope's bytes: the five-field form when it names a requester, else the two-field form
    /// when there are no headers and no body (what enclaves before headers read), the four-field form otherwise.
    public func encoded() throws -> [UInt8] {
        let head: [ABIValue] = [.bytes(params), .array(readers.map { .bytes($0) })]
        if let requester {
            return try ABI.encode(head + [.array(headers.map { .string($0.description) }), .bytes(body), .address(requester)], types: Self.boundTypes)
        }
        guard !headers.isEmpty || !body.isEmpty else { return try ABI.encode(head, types: [.bytes, .array(.bytes)]) }
        return try ABI.encode(head + [.array(headers.map { .string($0.description) }), .bytes(body)],
                              types: [.bytes, .array(.bytes), .array(.string), .bytes])
    }

    /// The encoded envelope encrypted to the enclave's key: a private request's params.
    public func sealed(to enclaveKey: PublicKey) throws -> [UInt8] { try ECIES.encrypt(try encoded(), to: enclaveKey) }
}
