extension OperatorClient {
    /// Block `number` as this operator serves it, checked against the root `root` stores for it.
    public func verifiedBlock(_ number: UInt64, against root: RootContractClient) throws -> ChildBlock {
        guard let onChain = try root.root(of: number) else { throw Failure.blockNotOnMainChain(number) }
        guard let served = try block(number) else { throw Failure.blockNotServed(number) }
        guard try served.tree().root == onChain else { throw Failure.blockDoesNotMatchRoot(number) }
        return try ChildBlock(number: number, previousHeaderHash: served.previousHeaderHash,
                              transactions: try served.transactions.map { try PlasmaTransaction(encoded: $0) })
    }
}
