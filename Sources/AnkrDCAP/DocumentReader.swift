import AnkrPrimitives

/// Reads the members of one JSON object of a collateral document, turning every shape problem into a
/// ``CollateralError`` that names the document and the field's path.
struct DocumentReader {
    let document: CollateralDocument
    let path: String
    let members: [String: JSON]

    init(_ value: JSON, document: CollateralDocument, path: String) throws(CollateralError) {
        guard case .object(let members) = value else {
            throw .wrongType(document, field: path.isEmpty ? "(top level)" : path, expected: "an object", found: value.kind)
        }
        self.document = document
        self.path = path
        self.members = members
    }

    /// Parses `text` (at most `limit` bytes) as a JSON object.
    init(parsing text: [UInt8], limit: Int, document: CollateralDocument) throws(CollateralError) {
        guard text.count <= limit else { throw .documentTooLarge(document, size: text.count, limit: limit) }
        let value: JSON
        do {
            value = try JSON(parsing: text)
        } catch {
            throw .malformedJSON(document, reason: "\(error)")
        }
        try self.init(value, document: document, path: "")
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses members other than `keys` (for layouts we write back and must not silently drop data from).
    func requireOnly(_ keys: Set<String>) throws(CollateralError) {
        if let extra = members.keys.sorted().first(where: { !keys.contains($0) }) {
            throw .unknownField(document, field: field(String(extra.prefix(64))))
        }
    }

    func value(_ key: String) throws(CollateralError) -> JSON {
        guard let value = members[key] else { throw .missingField(document, field: field(key)) }
        return value
    }

    func string(_ key: String, maxLength: Int) throws(CollateralError) -> String {
        let value = try value(key)
        guard case .string(let text) = value else {
            throw .wrongType(document, field: field(key), expected: "a string", found: value.kind)
        }
        let length = text.utf8.count
        guard length <= maxLength else { throw .fieldTooLarge(document, field: field(key), size: length, limit: maxLength) }
        return text
    }

    /// Hex digits without a prefix, either case, of exactly `count` bytes.
    func hex(_ key: String, count: Int) throws(CollateralError) -> [UInt8] {
        let bytes = try hexBytes(key, limit: count)
        guard bytes.count == count else { throw .wrongLength(document, field: field(key), expected: count, actual: bytes.count) }
        return bytes
    }

    /// Hex digits without a prefix, either case, of at most `maxCount` bytes.
    func hex(_ key: String, maxCount: Int) throws(CollateralError) -> [UInt8] {
        let bytes = try hexBytes(key, limit: maxCount)
        guard bytes.count <= maxCount else { throw .fieldTooLarge(document, field: field(key), size: bytes.count, limit: maxCount) }
        return bytes
    }

    /// The bytes of the hex string `key`, read only when it is at most one byte longer than `limit` (so a wrong
    /// length is reported as such, and a huge string is refused before decoding).
    private func hexBytes(_ key: String, limit: Int) throws(CollateralError) -> [UInt8] {
        let digits = Array(try string(key, maxLength: 2 * limit + 2).utf8)
        guard digits.count % 2 == 0 else { throw .invalidHex(document, field: field(key)) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = Self.nibble(digits[i]), let lo = Self.nibble(digits[i + 1]) else {
                throw .invalidHex(document, field: field(key))
            }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return bytes
    }

    /// A JSON integer (no fraction, no exponent form) that fits `T`.
    func integer<T: FixedWidthInteger>(_ key: String, as type: T.Type) throws(CollateralError) -> T {
        let value = try value(key)
        guard case .int(let number) = value else {
            throw .wrongType(document, field: field(key), expected: "an integer", found: value.kind)
        }
        guard let result = T(exactly: number) else { throw .integerOutOfRange(document, field: field(key)) }
        return result
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    func date(_ key: String) throws(CollateralError) -> UInt64 {
        guard let time = CollateralDate.unixTime(try string(key, maxLength: Limits.shortText)) else {
            throw .invalidDate(document, field: field(key))
        }
        return time
    }

    func status(_ key: String) throws(CollateralError) -> TCBStatus {
        guard let status = TCBStatus(rawValue: try string(key, maxLength: 64)) else {
            throw .unknownTCBStatus(document, field: field(key))
        }
        return status
    }

    func array(_ key: String, maxCount: Int) throws(CollateralError) -> [JSON] {
        let value = try value(key)
        guard case .array(let elements) = value else {
            throw .wrongType(document, field: field(key), expected: "an array", found: value.kind)
        }
        guard elements.count <= maxCount else {
            throw .tooManyElements(document, field: field(key), count: elements.count, limit: maxCount)
        }
        return elements
    }

    /// The readers of the objects in the array `key`.
    func objects(_ key: String, maxCount: Int) throws(CollateralError) -> [DocumentReader] {
        var readers: [DocumentReader] = []
        for (index, element) in try array(key, maxCount: maxCount).enumerated() {
            readers.append(try DocumentReader(element, document: document, path: "\(field(key))[\(index)]"))
        }
        return readers
    }

    func object(_ key: String) throws(CollateralError) -> DocumentReader {
        try DocumentReader(try value(key), document: document, path: field(key))
    }

    /// `advisoryIDs` of a TCB level; absent means none (Intel omits it for levels without advisories).
    func advisoryIDs() throws(CollateralError) -> [String] {
        guard members["advisoryIDs"] != nil else { return [] }
        var ids: [String] = []
        for (index, element) in try array("advisoryIDs", maxCount: Limits.advisoryIDs).enumerated() {
            let name = "\(field("advisoryIDs"))[\(index)]"
            guard case .string(let id) = element else {
                throw .wrongType(document, field: name, expected: "a string", found: element.kind)
            }
            guard id.utf8.count <= Limits.advisoryIDLength else {
                throw .fieldTooLarge(document, field: name, size: id.utf8.count, limit: Limits.advisoryIDLength)
            }
            ids.append(id)
        }
        return ids
    }

    /// Bounds on the signed documents' lists and strings: far above what Intel publishes, far below what could
    /// cost a verifier real memory or time.
    enum Limits {
        static let tcbLevels = 256
        static let advisoryIDs = 256
        static let advisoryIDLength = 64
        static let moduleIdentities = 64
        static let shortText = 64
    }
}
