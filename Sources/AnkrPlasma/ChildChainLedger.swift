import AnkrPrimitives

/// A child chain's blocks and UTXO set as one party sees them: the operator keeps it to refuse
/// invalid transactions, a watcher keeps its own to audit every block the operator publishes.
///
/// Every output ever created is remembered (fraud proofs need spent outputs too), with who spent it.
public struct ChildChainLedger: Sendable {
    /// Where a transaction sits: block number and index.
    public struct Location: Hashable, Sendable, CustomStringConvertible {
        public let block: UInt64
        public let index: Int
        public init(block: UInt64, index: Int) { self.block = block; self.index = index }
        /// The position of its first output, as PlasmaRoot takes transaction positions.
        public var position: UInt64 { block * UTXOPosition.blockFactor + UInt64(index) * UTXOPosition.txFactor }
        public var description: String { "\(block):\(index)" }
    }

    /// Why an audited block is invalid, with what a fraud proof needs.
    public enum Finding: Equatable, Sendable {
        /// Transaction `index` breaks the spend rule.
        case invalid(index: Int, SpendRule.Violation)
        /// Transaction `index` spends an output already spent at `earlier`.
        case doubleSpend(index: Int, earlier: Location)
    }

    public private(set) var blocks: [UInt64: ChildBlock] = [:]
    /// Header hash of the newest operator block (the previous hash of the next one).
    public private(set) var lastHeaderHash: H256 = .zero
    public private(set) var latestOperatorBlock: UInt64 = 0
    /// Each block's Merkle root, computed once when the block is applied (a full tree takes ~250 ms).
    public private(set) var roots: [UInt64: H256] = [:]
    private var outputs: [UInt64: PlasmaTransaction.Output] = [:]
    private var spentBy: [UInt64: Location] = [:]
    private var unspentByOwner: [Address: Set<UInt64>] = [:]
    private var locations: [H256: Location] = [:]

    public init() {}

    public func output(at position: UInt64) -> PlasmaTransaction.Output? { outputs[position] }
    public func spender(of position: UInt64) -> Location? { spentBy[position] }
    public func location(of hash: H256) -> Location? { locations[hash] }

    public func transaction(at l: Location) -> PlasmaTransaction? {
        guard let b = blocks[l.block], l.index < b.transactions.count else { return nil }
        return b.transactions[l.index]
    }

    /// The owner's unspent outputs, oldest first.
    public func unspent(of owner: Address) -> [(position: UTXOPosition, output: PlasmaTransaction.Output)] {
        (unspentByOwner[owner] ?? []).sorted().compactMap { p in
            guard let o = outputs[p], let pos = try? UTXOPosition(encoded: UInt256(p)) else { return nil }
            return (pos, o)
        }
    }

    /// The outputs `tx`'s used inputs spend (nil where none exists), for ``SpendRule``.
    public func spentOutputs(of tx: PlasmaTransaction) -> [PlasmaTransaction.Output?] {
        tx.inputs.filter { !$0.isNone }.map { input in input.position.flatMap { outputs[$0.encoded] } }
    }

    /// The first reason `block` (an operator block that follows this ledger) is invalid, or nil.
    public func audit(_ block: ChildBlock) -> Finding? {
        var spentHere = [UInt64: Location]()
        for (i, tx) in block.transactions.enumerated() {
            if let v = SpendRule.violation(of: tx, inBlock: block.number, spent: spentOutputs(of: tx)) { return .invalid(index: i, v) }
            for p in tx.inputs.compactMap(\.position) {
                if let earlier = spentBy[p.encoded] ?? spentHere[p.encoded] { return .doubleSpend(index: i, earlier: earlier) }
                spentHere[p.encoded] = Location(block: block.number, index: i)
            }
        }
        return nil
    }

    /// Records `block`'s spends and outputs. Operator blocks (multiples of 1,000) also advance the
    /// header chain; deposit blocks do not. `hashes`, when given, are the transactions' hashes, and
    /// `root`, when given, is the block's Merkle root (computed by the caller).
    public mutating func apply(_ block: ChildBlock, hashes: [H256]? = nil, root knownRoot: H256? = nil) {
        // Hashes that do not match the transactions one for one are not used (they are recomputed).
        let hashes = hashes?.count == block.transactions.count ? hashes : nil
        blocks[block.number] = block
        let root = knownRoot ?? block.tree(hashes: hashes).root
        roots[block.number] = root
        if block.number % PlasmaRootState.childBlockInterval == 0 {
            lastHeaderHash = ChildBlock.headerHash(root: root, previous: block.previousHeaderHash)
            latestOperatorBlock = max(latestOperatorBlock, block.number)
        }
        for (i, tx) in block.transactions.enumerated() {
            let here = Location(block: block.number, index: i)
            locations[hashes?[i] ?? tx.hash] = here
            for p in tx.inputs.compactMap(\.position) {
                spentBy[p.encoded] = here
                if let owner = outputs[p.encoded]?.owner { unspentByOwner[owner]?.remove(p.encoded) }
            }
            for (k, o) in tx.outputs.enumerated() where !o.isNone {
                let p = here.position + UInt64(k)
                outputs[p] = o
                if spentBy[p] == nil { unspentByOwner[o.owner, default: []].insert(p) }
            }
        }
    }

    /// Takes out deposit block `number` whose output nothing spent (its main-chain deposit was
    /// reorganised away). Returns false, changing nothing, when it is not an unspent deposit block.
    public mutating func removeUnspentDeposit(_ number: UInt64) -> Bool {
        guard number % PlasmaRootState.childBlockInterval != 0, let block = blocks[number], block.transactions.count == 1,
              let tx = block.transactions.first, tx.isDeposit else { return false }
        let here = Location(block: number, index: 0)
        let outputPositions = tx.outputs.indices.map { here.position + UInt64($0) }
        guard outputPositions.allSatisfy({ spentBy[$0] == nil }) else { return false }
        for p in outputPositions {
            if let o = outputs.removeValue(forKey: p) { unspentByOwner[o.owner]?.remove(p) }
        }
        // Two deposits of one amount to one owner share a hash: only forget the location if it is this block's.
        if locations[tx.hash] == here { locations[tx.hash] = nil }
        blocks[number] = nil
        roots[number] = nil
        return true
    }
}
