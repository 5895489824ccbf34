import AnkrPrimitives

/// Where an output lives: child block, transaction index in it, output index in the transaction.
/// Encoded as one integer, blknum·1,000,000,000 + txindex·10,000 + oindex (the Plasma MVP's form,
/// which also orders exits by age).
public struct UTXOPosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let blockFactor: UInt64 = 1_000_000_000
    public static let txFactor: UInt64 = 10_000
    /// A child block holds at most 2^16 transactions (the depth-16 tree).
    public static let maxTxIndex: UInt64 = (1 << 16) - 1
    /// Keeps the encoded position within 64 bits.
    public static let maxBlockNumber: UInt64 = UInt64.max / blockFactor - 1

    public let blockNumber: UInt64
    public let txIndex: UInt64
    public let outputIndex: UInt64

    public init(blockNumber: UInt64, txIndex: UInt64, outputIndex: UInt64) throws {
        guard blockNumber <= Self.maxBlockNumber else { throw PlasmaError.fieldOutOfRange(field: "blknum", value: "\(blockNumber)") }
        guard txIndex <= Self.maxTxIndex else { throw PlasmaError.fieldOutOfRange(field: "txindex", value: "\(txIndex)") }
        guard outputIndex <= 1 else { throw PlasmaError.fieldOutOfRange(field: "oindex", value: "\(outputIndex)") }
        self.blockNumber = blockNumber; self.txIndex = txIndex; self.outputIndex = outputIndex
    }

    /// Decodes blknum·10^9 + txindex·10^4 + oindex, refusing positions no output can have.
    public init(encoded: UInt256) throws {
        guard let v = encoded.uint64 else { throw PlasmaError.fieldOutOfRange(field: "utxo position", value: encoded.description) }
        let (block, rest) = v.quotientAndRemainder(dividingBy: Self.blockFactor)
        let (tx, output) = rest.quotientAndRemainder(dividingBy: Self.txFactor)
        try self.init(blockNumber: block, txIndex: tx, outputIndex: output)
    }

    public var encoded: UInt64 { blockNumber * Self.blockFactor + txIndex * Self.txFactor + outputIndex }

    public static func < (a: UTXOPosition, b: UTXOPosition) -> Bool { a.encoded < b.encoded }

    public var description: String { "\(blockNumber):\(txIndex):\(outputIndex)" }
}
