import AnkrCommandLine
import AnkrPrimitives

extension H256 {
    /// The hash as a 256-bit word: how an indexed event argument (an id, a block number) is read back
    /// from a log topic.
    var word: UInt256 { UInt256(bigEndian: bytes) ?? .zero }
}
