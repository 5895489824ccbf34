/// A 20-byte account address, printed with its EIP-55 checksum.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 20 address bytes.
    public let bytes: [UInt8]

    public static let zero = Address(unchecked: [UInt8](repeating: 0, count: 20))

    /// Why an address string was rejected.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not 20 bytes of hex.
        case hex(HexError)
        /// Mixed case whose capitals are not the EIP-55 checksum of these bytes: the text as given and the
        /// address as it should have been written.
        case badChecksum(String, checksummed: String)

        public var description: String {
            switch self {
            case .hex(let e): return "invalid address: \(e)"
            case .badChecksum(let s, let checksummed): return "address \(s) has a wrong EIP-55 checksum (mistyped, or its letters' case changed); if its digits are right, it is \(checksummed)"
            }
        }
    }

    /// Wraps exactly 20 bytes.
    public init(_ bytes: [UInt8]) throws {
        guard bytes.count == 20 else { throw HexError.wrongLength(expected: 20, actual: bytes.count) }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == 20)
        self.bytes = bytes
    }

    /// Parses a hex address. All-lower or all-upper case is accepted as is; mixed case must carry a
    /// valid EIP-55 checksum, as wallets expect.
    public init(hex: String) throws {
        do {
            self.bytes = try Hex.decode(hex, count: 20)
        } catch let e as HexError {
            throw ParseError.hex(e)
        }
        let body = hex.hasPrefix("0x") || hex.hasPrefix("0X") ? String(hex.dropFirst(2)) : hex
        let hasLower = body.contains(where: { $0.isLowercase })
        let hasUpper = body.contains(where: { $0.isUppercase })
        if hasLower && hasUpper && "0x" + body != checksummed {
            throw ParseError.badChecksum(hex, checksummed: checksummed)
        }
    }

    /// The address derived from a 64-byte uncompressed public key (without the 0x04 prefix).
    public init(publicKey64 key: [UInt8]) throws {
        guard key.count == 64 else { throw HexError.wrongLength(expected: 64, actual: key.count) }
        self.bytes = Array(Keccak256.hash(key)[12...])
    }

    /// EIP-55 mixed-case checksum encoding with `0x`.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes).utf8)
        let hash = Keccak256.hash(lower)
        var out = [UInt8]()
        out.reserveCapacity(42)
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: "x"))
        for (i, c) in lower.enumerated() {
            let nib = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f
            if c >= UInt8(ascii: "a") && nib >= 8 {
                out.append(c - 32)
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { checksummed }

    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

extension Address {
    /// Hashes the bytes in one call (the synthesized version combines them one by one).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
