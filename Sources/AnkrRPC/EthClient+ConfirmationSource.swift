import AnkrPrimitives

extension EthClient: ConfirmationSource {
    /// `eth_getBlockByNumber`'s hash at `number`.
    public func canonicalHash(at number: UInt64) throws -> H256? { try block(number: .number(number))?.hash }

    /// `eth_getTransactionByHash` answers something.
    public func knows(_ hash: H256) throws -> Bool { try transaction(hash) != nil }
}
