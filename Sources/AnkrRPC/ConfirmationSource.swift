import AnkrPrimitives

/// What a ``ConfirmationWaiter`` reads from a node and sends to it while following a transaction.
/// ``EthClient`` is the real one; a test can script a chain that reorganises under the waiter.
public protocol ConfirmationSource {
    /// The transaction's receipt, nil while it is pending or unknown.
    func receipt(_ hash: H256) throws -> EthClient.Receipt?
    /// The head's number.
    func blockNumber() throws -> UInt64
    /// The hash of the canonical block at `number`, nil past the head.
    func canonicalHash(at number: UInt64) throws -> H256?
    /// Whether the node knows the transaction at all (pooled or mined).
    func knows(_ hash: H256) throws -> Bool
    /// Hands a signed transaction's encoding to the node; its hash.
    func sendRawTransaction(_ raw: [UInt8]) throws -> H256
}
