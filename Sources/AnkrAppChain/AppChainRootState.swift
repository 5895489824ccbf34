import AnkrChain
import AnkrPrimitives

/// An application chain's record on the main chain, in its root's own storage (address `0x…0c<id>`).
///
/// Slots: 0 operator, 1 stake, 2 the child chain's EIP-155 chain id, 3 profile code, 4 latest committed
/// block number, 5 slashed flag, 6 deposits made, 7 ANKR held for the chain's users (deposits less paid
/// withdrawals), 8 the highest block number whose seals no longer bind the operator (a dispute rolled it back, or an
/// equivocation at it was punished); commitment `n` at keccak(10, n) + 0…3: header hash, post-state root, main-chain time of the
/// commitment, messages applied by then (block 0 is the genesis the chain was registered with); message `i` to the
/// chain (a deposit is one without data; "deposit" names them all here, as in the root's interface) at
/// keccak(11, i) + 0…1: its record (``AppChainMessage/record``), time; withdrawal `i` paid: keccak(12, i); the running
/// hash of the first `n` messages at keccak(13, n) (as the bridge computes it; zero for none); message `i` from the
/// chain at keccak(14, i): zero until finalized, then waiting for its target (``AppChainMessage/pending(sender:target:data:)``)
/// or 1 once consumed (or if it had no data).
public struct AppChainRootState {
    /// One committed child block.
    public struct Commitment: Equatable, Sendable {
        public var headerHash: H256
        public var stateRoot: H256
        /// The main-chain block timestamp of the commitment: the dispute window runs from it.
        public var committedAt: UInt64
        /// The bridge's count of applied deposits after the block, as the operator committed it.
        public var depositsApplied: UInt64 = 0
    }

    public var storage: SystemStorage

    public init(storage: SystemStorage) { self.storage = storage }

    /// An unmetered view for readers off chain.
    public init(state: WorldState, root: Address) { storage = SystemStorage(state: state, address: root, gasLimit: .max) }

    static func initialize(_ s: inout SystemStorage, operator: Address, stake: UInt256, chainID: UInt64, profile: AppChainProfile,
                           genesis: BlockHeader, now: UInt64) throws {
        var root = AppChainRootState(storage: s)
        try root.storage.setAddress(.zero, `operator`)
        try root.storage.setWord(.one, stake)
        try root.storage.setWord(UInt256(2), UInt256(chainID))
        try root.storage.setWord(UInt256(3), UInt256(UInt64(profile.code)))
        try root.setCommitment(0, Commitment(headerHash: genesis.hash, stateRoot: genesis.stateRoot, committedAt: now))
        s = root.storage
    }

    public mutating func operatorAddress() throws -> Address { try storage.address(.zero) }
    public mutating func stake() throws -> UInt256 { try storage.word(.one) }
    mutating func setStake(_ v: UInt256) throws { try storage.setWord(.one, v) }
    /// The child chain's EIP-155 chain id (zero: no chain at this address).
    public mutating func chainID() throws -> UInt64 { try storage.word(UInt256(2)).uint64 ?? 0 }
    public mutating func profile() throws -> AppChainProfile? {
        try storage.word(UInt256(3)).uint64.flatMap { UInt8(exactly: $0) }.flatMap(AppChainProfile.init(code:))
    }
    public mutating func latestBlock() throws -> UInt64 { try storage.word(UInt256(4)).uint64 ?? 0 }
    mutating func setLatestBlock(_ n: UInt64) throws { try storage.setWord(UInt256(4), UInt256(n)) }
    /// Whether a dispute has slashed the operator (it must add a stake before committing again).
    public mutating func slashed() throws -> Bool { !(try storage.word(UInt256(5))).isZero }
    mutating func setSlashed(_ s: Bool) throws { try storage.setWord(UInt256(5), s ? .one : .zero) }

    /// The highest block number whose seals no longer bind the operator (zero: none): a dispute rolled it back, or an
    /// equivocation at it was punished once already.
    public mutating func sealsReleasedThrough() throws -> UInt64 { try storage.word(UInt256(8)).uint64 ?? .max }
    /// Releases the operator's seals up to `n` (never lowers the mark).
    mutating func releaseSeals(through n: UInt64) throws {
        if n > (try sealsReleasedThrough()) { try storage.setWord(UInt256(8), UInt256(n)) }
    }

    /// Commitment `number`, or nil past the latest (a rolled-back commitment is past it).
    public mutating func commitment(_ number: UInt64) throws -> Commitment? {
        guard number <= (try latestBlock()) else { return nil }
        let base = SystemStorage.slot(UInt256(10), UInt256(number))
        return Commitment(headerHash: try storage.hash(base), stateRoot: try storage.hash(base &+ .one),
                          committedAt: try storage.word(base &+ UInt256(2)).uint64 ?? 0,
                          depositsApplied: try storage.word(base &+ UInt256(3)).uint64 ?? 0)
    }

    /// Only the header hash of commitment `number` (one read: BLOCKHASH's ancestors in a dispute).
    mutating func headerHash(_ number: UInt64) throws -> H256 {
        try storage.hash(SystemStorage.slot(UInt256(10), UInt256(number)))
    }

    mutating func setCommitment(_ number: UInt64, _ c: Commitment) throws {
        let base = SystemStorage.slot(UInt256(10), UInt256(number))
        try storage.setHash(base, c.headerHash)
        try storage.setHash(base &+ .one, c.stateRoot)
        try storage.setWord(base &+ UInt256(2), UInt256(c.committedAt))
        try storage.setWord(base &+ UInt256(3), UInt256(c.depositsApplied))
    }

    public mutating func depositCount() throws -> UInt64 { try storage.word(UInt256(6)).uint64 ?? .max }
    /// ANKR the root holds for the chain's users (beside the stake): deposits made less withdrawals paid.
    public mutating func held() throws -> UInt256 { try storage.word(UInt256(7)) }
    mutating func setHeld(_ v: UInt256) throws { try storage.setWord(UInt256(7), v) }

    /// Message (deposit) `index` to the chain: its record and when it was made, or nil past the last.
    public mutating func deposit(_ index: UInt64) throws -> (record: H256, madeAt: UInt64)? {
        guard index < (try depositCount()) else { return nil }
        let base = SystemStorage.slot(UInt256(11), UInt256(index))
        return (try storage.hash(base), try storage.word(base &+ .one).uint64 ?? 0)
    }

    /// The running hash of the first `count` deposits.
    public mutating func depositsHash(_ count: UInt64) throws -> H256 { try storage.hash(SystemStorage.slot(UInt256(13), UInt256(count))) }

    mutating func addDeposit(record: H256, at time: UInt64) throws -> UInt64 {
        let index = try depositCount()
        guard index < .max else { throw SystemCallError.reverted("deposit count exhausted", gasUsed: storage.gasUsed) }
        let running = Keccak256.h256(try depositsHash(index).bytes + record.bytes)
        try storage.setHash(SystemStorage.slot(UInt256(13), UInt256(index + 1)), running)
        let base = SystemStorage.slot(UInt256(11), UInt256(index))
        try storage.setHash(base, record)
        try storage.setWord(base &+ .one, UInt256(time))
        try storage.setWord(UInt256(6), UInt256(index + 1))
        return index
    }

    /// The slot of message `index` from the child chain.
    static func childMessageSlot(_ index: UInt64) -> UInt256 { SystemStorage.slot(UInt256(14), UInt256(index)) }

    public mutating func withdrawalPaid(_ index: UInt64) throws -> Bool { !(try storage.word(SystemStorage.slot(UInt256(12), UInt256(index)))).isZero }
    mutating func markWithdrawalPaid(_ index: UInt64) throws { try storage.setWord(SystemStorage.slot(UInt256(12), UInt256(index)), .one) }
}
