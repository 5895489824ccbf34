extension Bloom {
    /// The three bits of one value, hashed once: a log filter tests the same addresses and topics
    /// against thousands of block blooms, and should not hash them again for each.
    public struct Probe: Sendable {
        let bits: [Int]

        public init(_ value: [UInt8]) { bits = Bloom.bits(value) }
    }

    /// Whether the probe's value may have been added.
    public func mayContain(_ probe: Probe) -> Bool {
        probe.bits.allSatisfy { bytes[255 - $0 / 8] & (1 << UInt8($0 % 8)) != 0 }
    }
}
