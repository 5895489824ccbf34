import AnkrPrimitives

/// What ``OperatorService`` reads from the main chain to follow its root's deposits and exits:
/// the head, block hashes (to notice a reorganisation) and the root's events with their blocks.
/// ``RootContractClient`` reads them over JSON-RPC; tests give a main chain they can reorganise.
public protocol MainChainReader: Sendable {
    /// The latest block number.
    func headNumber() throws -> UInt64
    /// The hash of canonical block `number`, nil when the chain is not that long.
    func blockHash(at number: UInt64) throws -> H256?
    /// `event` logs of the root in canonical blocks `from...to`, in chain order.
    func logs(_ event: String, from: UInt64, to: UInt64) throws -> [MainChainLog]
}
