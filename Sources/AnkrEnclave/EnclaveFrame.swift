import AnkrPrimitives

/// The framing of the enclave socket: a 4-byte big-endian payload length, then the payload (an
/// RLP message, ``EnclaveRequest`` or ``EnclaveReply``). The length is checked against
/// ``maxBytes`` before anything is allocated, so a hostile peer cannot make either side buffer more.
public enum EnclaveFrame {
    /// Largest payload either side accepts: a 1 MiB module and several MiB of input fit.
    public static let maxBytes = 8 << 20
    /// Version of the messages; a request of another version is refused, never guessed at.
    public static let version: UInt64 = 1
    static let headerBytes = 4

    /// `payload` with its length prefix; the caller checks `payload.count <= maxBytes`.
    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        let n = UInt32(truncatingIfNeeded: payload.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
    }

    /// The payload length a 4-byte header announces, refused past ``maxBytes``.
    public static func length(header: [UInt8]) throws(EnclaveWireError) -> Int {
        guard header.count == headerBytes else { throw .wrongFieldSize(field: "frame header", expected: headerBytes, actual: header.count) }
        let n = header.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard n <= UInt64(maxBytes) else { throw .frameTooLarge(length: n, limit: maxBytes) }
        return Int(n)
    }

    /// Splits a payload into its kind and fields after checking the version: `[version, kind, fields...]`.
    static func open(_ payload: [UInt8], message: String) throws(EnclaveWireError) -> (kind: UInt64, fields: WireFields) {
        let items: [RLPItem]
        do {
            items = try RLP.decode(payload).listValue()
        } catch let e as RLPError {
            throw .notRLP(message: message, e)
        } catch {
            throw .notRLP(message: message, .expectedList)
        }
        var fields = WireFields(message: message, items: items[...])
        let version = try fields.uint64("version")
        guard version == EnclaveFrame.version else { throw .unsupportedVersion(version, supported: EnclaveFrame.version) }
        return (try fields.uint64("kind"), fields)
    }

    /// `[version, kind, fields...]` encoded.
    static func seal(kind: UInt64, _ fields: [RLPItem]) -> [UInt8] {
        RLP.encode(.list([.uint(version), .uint(kind)] + fields))
    }
}
