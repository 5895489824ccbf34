/// Little-endian integers and length-prefixed sections of the DCAP quote layout.
enum QuoteBytes {
    static func le(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    static func le(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    /// `u16 length ‖ bytes`.
    static func prefixed16(_ bytes: [UInt8], section: String) throws(TestPKIError) -> [UInt8] {
        guard let length = UInt16(exactly: bytes.count) else { throw .tooLong(section: section, length: bytes.count) }
        return le(length) + bytes
    }

    /// `u32 length ‖ bytes`.
    static func prefixed32(_ bytes: [UInt8], section: String) throws(TestPKIError) -> [UInt8] {
        guard let length = UInt32(exactly: bytes.count) else { throw .tooLong(section: section, length: bytes.count) }
        return le(length) + bytes
    }

    /// Intel's QE vendor id, the only one verifiers accept.
    static let intelQEVendorID: [UInt8] = [0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9,
                                           0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07]
}
