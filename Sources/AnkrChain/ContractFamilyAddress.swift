import AnkrPrimitives

/// Addresses of a family of system contracts with one member per id — PlasmaRoot `0x…0b<id>`, AppChainRoot
/// `0x…0c<id>`: seventeen zero bytes, the family's byte, the id in two bytes (1…65,535).
public enum ContractFamilyAddress {
    /// Member `id` of family `family` (only its low 16 bits count).
    public static func address(family: UInt8, id: UInt64) -> Address {
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes[17] = family
        bytes[18] = UInt8(truncatingIfNeeded: id >> 8)
        bytes[19] = UInt8(truncatingIfNeeded: id)
        return (try? Address(bytes)) ?? .zero
    }

    /// The id `address` has in family `family`, or nil for other addresses (and for id 0).
    public static func id(of address: Address, family: UInt8) -> UInt64? {
        let b = address.bytes
        guard b[0..<17].allSatisfy({ $0 == 0 }), b[17] == family else { return nil }
        let id = UInt64(b[18]) << 8 | UInt64(b[19])
        return id == 0 ? nil : id
    }
}
