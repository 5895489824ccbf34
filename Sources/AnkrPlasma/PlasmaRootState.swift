import AnkrChain
import AnkrPrimitives

/// One PlasmaRoot's storage (at its own address), read and written through metered storage.
///
/// Slots: 0 operator, 1 stake, 2 chain id, 3 next child block number (a multiple of 1,000),
/// 4 next deposit slot (1…999), 5 header hash of the last operator block, 6 that block's number,
/// 7 slashed flag (a fraud proof succeeded; no blocks until the operator stakes again),
/// 8 committed wei (every withdrawable balance plus the bonds of queued exits), 9 number of rollbacks;
/// `keccak(10, blknum) + k`: root, header hash, timestamp, previous operator block number of a
/// submitted (or deposit) block;
/// `keccak(11, utxoPos) + k`: exit owner, amount, maturity time, status, bond;
/// `keccak(12, …)`: the ``ExitQueue``; `keccak(13, address)`: withdrawable balance;
/// `keccak(14, i) + k`: first and end (exclusive) operator block number of rollback range i;
/// `keccak(15, txPos)`: 1 once the operator exited the fee of the transaction at txPos (output index 0);
/// `keccak(16, utxoPos)`: 1 once a fee exit proved the output spent (it may never exit).
///
/// A fraud proof rolls back in constant work: it records the range [fraudulent block, next child
/// block) instead of erasing each later block, and ``block(_:)`` hides operator blocks inside a
/// recorded range. Ranges are kept sorted and disjoint (a proof can only name a block still on the
/// chain, so a new range starts outside every range and covers all ranges that start after it),
/// so a lookup is a binary search.
public struct PlasmaRootState {
    public static let childBlockInterval: UInt64 = 1_000

    /// `cancelled`: the output's block was rolled back by a fraud proof; `finalizeExit` found that when
    /// the exit reached the head of the queue and returned the bond to the owner.
    public enum ExitStatus: UInt64, Sendable { case none = 0, queued = 1, finalized = 2, challenged = 3, cancelled = 4 }

    public struct StoredBlock: Equatable, Sendable {
        public var root: H256
        public var headerHash: H256
        public var timestamp: UInt64
        /// The operator block before this one (0 for the first and for deposit blocks).
        public var previousOperatorBlock: UInt64 = 0
    }

    public struct Exit: Equatable, Sendable {
        public var owner: Address
        public var amount: UInt256
        public var exitableAt: UInt64
        public var status: ExitStatus
        public var bond: UInt256
    }

    public var storage: SystemStorage
    public let queue = ExitQueue(base: UInt256(12))

    public init(storage: SystemStorage) { self.storage = storage }

    /// An unmetered view for readers off chain.
    public init(state: WorldState, root: Address) { storage = SystemStorage(state: state, address: root, gasLimit: .max) }

    static func initialize(_ s: inout SystemStorage, operator: Address, stake: UInt256, chainID: UInt64) throws {
        try s.setAddress(.zero, `operator`)
        try s.setWord(.one, stake)
        try s.setWord(UInt256(2), UInt256(chainID))
        try s.setWord(UInt256(3), UInt256(childBlockInterval))
        try s.setWord(UInt256(4), .one)
    }

    public mutating func chainID() throws -> UInt64 { try storage.word(UInt256(2)).uint64 ?? 0 }
    public mutating func operatorAddress() throws -> Address { try storage.address(.zero) }
    public mutating func stake() throws -> UInt256 { try storage.word(.one) }
    public mutating func nextChildBlock() throws -> UInt64 { try storage.word(UInt256(3)).uint64 ?? 0 }
    mutating func setNextChildBlock(_ n: UInt64) throws { try storage.setWord(UInt256(3), UInt256(n)) }
    public mutating func nextDepositSlot() throws -> UInt64 { try storage.word(UInt256(4)).uint64 ?? 0 }
    mutating func setNextDepositSlot(_ n: UInt64) throws { try storage.setWord(UInt256(4), UInt256(n)) }
    public mutating func lastHeaderHash() throws -> H256 { try storage.hash(UInt256(5)) }
    mutating func setLastHeaderHash(_ h: H256) throws { try storage.setHash(UInt256(5), h) }

    public mutating func stakeSlashed() throws -> Bool { !(try storage.word(UInt256(7))).isZero }
    mutating func setStake(_ v: UInt256, slashed: Bool) throws {
        try storage.setWord(.one, v)
        try storage.setWord(UInt256(7), slashed ? .one : .zero)
    }
    /// The newest operator block still on the chain (0 before the first; fraud proofs roll it back).
    public mutating func latestOperatorBlock() throws -> UInt64 { try storage.word(UInt256(6)).uint64 ?? 0 }
    mutating func setLatestOperatorBlock(_ n: UInt64) throws { try storage.setWord(UInt256(6), UInt256(n)) }

    /// A submitted or deposit block still on the chain; nil when it never was or a fraud proof rolled it back.
    public mutating func block(_ number: UInt64) throws -> StoredBlock? {
        let base = SystemStorage.slot(UInt256(10), UInt256(number))
        let root = try storage.hash(base)
        let header = try storage.hash(base &+ .one)
        guard header != .zero else { return nil }
        // Deposit blocks are the contract's own and are never rolled back.
        if number % Self.childBlockInterval == 0, try isRolledBack(number) { return nil }
        return StoredBlock(root: root, headerHash: header, timestamp: try storage.word(base &+ UInt256(2)).uint64 ?? 0,
                           previousOperatorBlock: try storage.word(base &+ UInt256(3)).uint64 ?? 0)
    }

    mutating func setBlock(_ number: UInt64, _ b: StoredBlock) throws {
        let base = SystemStorage.slot(UInt256(10), UInt256(number))
        try storage.setHash(base, b.root)
        try storage.setHash(base &+ .one, b.headerHash)
        try storage.setWord(base &+ UInt256(2), UInt256(b.timestamp))
        if b.previousOperatorBlock != 0 { try storage.setWord(base &+ UInt256(3), UInt256(b.previousOperatorBlock)) }
    }

    // MARK: Rollbacks

    private func rangeSlot(_ i: UInt64) -> UInt256 { SystemStorage.slot(UInt256(14), UInt256(i)) }
    private mutating func rollbackCount() throws -> UInt64 { try storage.word(UInt256(9)).uint64 ?? 0 }
    private mutating func rangeStart(_ i: UInt64) throws -> UInt64 { try storage.word(rangeSlot(i)).uint64 ?? 0 }
    private mutating func rangeEnd(_ i: UInt64) throws -> UInt64 { try storage.word(rangeSlot(i) &+ .one).uint64 ?? 0 }

    /// The index of the first range whose start is above `n` (or at least `n` when `inclusive`); the count when none is.
    private mutating func firstRange(startingAbove n: UInt64, inclusive: Bool) throws -> UInt64 {
        var low: UInt64 = 0, high = try rollbackCount()
        while low < high {
            let mid = low + (high - low) / 2
            let start = try rangeStart(mid)
            if start < n || (!inclusive && start == n) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Whether operator block `number` lies in a rolled-back range.
    mutating func isRolledBack(_ number: UInt64) throws -> Bool {
        let after = try firstRange(startingAbove: number, inclusive: false)
        guard after > 0 else { return false }
        return number < (try rangeEnd(after - 1))
    }

    /// Rolls back every operator block numbered from `first` (on the chain) up to `end` (exclusive,
    /// the next child block number): the ranges starting at or after `first` are inside the new one.
    mutating func rollBack(from first: UInt64, to end: UInt64) throws {
        let i = try firstRange(startingAbove: first, inclusive: true)
        try storage.setWord(rangeSlot(i), UInt256(first))
        try storage.setWord(rangeSlot(i) &+ .one, UInt256(end))
        try storage.setWord(UInt256(9), UInt256(i + 1))
    }

    public mutating func exit(_ position: UInt64) throws -> Exit? {
        let base = SystemStorage.slot(UInt256(11), UInt256(position))
        guard let status = ExitStatus(rawValue: try storage.word(base &+ UInt256(3)).uint64 ?? 0), status != .none else { return nil }
        return Exit(owner: try storage.address(base), amount: try storage.word(base &+ .one),
                    exitableAt: try storage.word(base &+ UInt256(2)).uint64 ?? 0, status: status, bond: try storage.word(base &+ UInt256(4)))
    }

    mutating func setExit(_ position: UInt64, _ e: Exit) throws {
        let base = SystemStorage.slot(UInt256(11), UInt256(position))
        try storage.setAddress(base, e.owner)
        try storage.setWord(base &+ .one, e.amount)
        try storage.setWord(base &+ UInt256(2), UInt256(e.exitableAt))
        try storage.setWord(base &+ UInt256(3), UInt256(e.status.rawValue))
        try storage.setWord(base &+ UInt256(4), e.bond)
    }

    /// Whether the operator has exited the fee of the transaction at `position` (its output-index-0 encoding).
    public mutating func feeClaimed(_ position: UInt64) throws -> Bool {
        !(try storage.word(SystemStorage.slot(UInt256(15), UInt256(position)))).isZero
    }

    mutating func setFeeClaimed(_ position: UInt64) throws {
        try storage.setWord(SystemStorage.slot(UInt256(15), UInt256(position)), .one)
    }

    /// Whether a fee exit proved the output at `position` spent: its owner confirmed the transaction spending it.
    public mutating func spentByFeeExit(_ position: UInt64) throws -> Bool {
        !(try storage.word(SystemStorage.slot(UInt256(16), UInt256(position)))).isZero
    }

    mutating func setSpentByFeeExit(_ position: UInt64) throws {
        try storage.setWord(SystemStorage.slot(UInt256(16), UInt256(position)), .one)
    }

    public mutating func withdrawable(_ who: Address) throws -> UInt256 {
        try storage.word(SystemStorage.slot(UInt256(13), who.word))
    }

    // MARK: Money

    /// Wei the root owes: every withdrawable balance plus the bonds of queued exits.
    public mutating func committed() throws -> UInt256 { try storage.word(UInt256(8)) }

    /// Sets `amount` aside (a queued exit's bond).
    mutating func reserve(_ amount: UInt256) throws {
        let (sum, overflow) = try committed().addingReportingOverflow(amount)
        guard !overflow else { throw SystemCallError.reverted("committed balance overflows", gasUsed: storage.gasUsed) }
        try storage.setWord(UInt256(8), sum)
    }

    /// Frees `amount` set aside by ``reserve(_:)`` or ``credit(_:_:)``. Saturates at zero: a root
    /// whose credits predate this count has owed more than it counted, and must still pay them.
    mutating func release(_ amount: UInt256) throws {
        let (rest, short) = try committed().subtractingReportingOverflow(amount)
        try storage.setWord(UInt256(8), short ? .zero : rest)
    }

    /// Wei the root holds beyond the stake and what it owes: what a finalized exit can be paid from.
    mutating func uncommitted(balance: UInt256) throws -> UInt256 {
        let (afterStake, short) = balance.subtractingReportingOverflow(try stake())
        let (free, shortAgain) = afterStake.subtractingReportingOverflow(try committed())
        return short || shortAgain ? .zero : free
    }

    /// Adds `amount` to what `who` can withdraw, and to what the root owes.
    mutating func credit(_ who: Address, _ amount: UInt256) throws {
        let slot = SystemStorage.slot(UInt256(13), who.word)
        let (sum, overflow) = try storage.word(slot).addingReportingOverflow(amount)
        guard !overflow else { throw SystemCallError.reverted("balance overflow", gasUsed: storage.gasUsed) }
        try storage.setWord(slot, sum)
        try reserve(amount)
    }

    /// Empties `who`'s withdrawable balance (being paid out) and returns it.
    mutating func clearWithdrawable(_ who: Address) throws -> UInt256 {
        let slot = SystemStorage.slot(UInt256(13), who.word)
        let amount = try storage.word(slot)
        try storage.setWord(slot, .zero)
        try release(amount)
        return amount
    }

    /// Exit priority: maturity time in the high 128 bits, UTXO position in the low, so exits leave
    /// in order of maturity and, at equal maturity, older outputs first.
    public static func priority(exitableAt: UInt64, position: UInt64) -> UInt256 {
        UInt256(exitableAt).shiftedLeft(128) | UInt256(position)
    }

    public static func position(ofPriority p: UInt256) -> UInt64 { (p & UInt256(UInt64.max)).uint64 ?? 0 }
}
