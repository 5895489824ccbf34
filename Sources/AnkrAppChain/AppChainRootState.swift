import AnkrChain
import AnkrPrimitives

/// An application chain's record on the main chain, in its root's own storage (address `0x…0c<id>`).
///
/// Slots: 0 operator, 1 stake, 2 the child chain's EIP-155 chain id, 3 profile code, 4 latest committed
/// block number, 5 slashed flag; commitment `n` at keccak(10, n) + 0…2: header hash, post-state root,
/// main-chain time of the commitment (block 0 is the genesis the chain was registered with).
public struct AppChainRootState {
    /// One committed child block.
    public struct Commitment: Equatable, Sendable {
        public var headerHash: H256
        public var stateRoot: H256
        /// The main-chain block timestamp of the commitment: the dispute window runs from it.
        public var committedAt: UInt64
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

    /// Commitment `number`, or nil past the latest (a rolled-back commitment is past it).
    public mutating func commitment(_ number: UInt64) throws -> Commitment? {
        guard number <= (try latestBlock()) else { return nil }
        let base = SystemStorage.slot(UInt256(10), UInt256(number))
        return Commitment(headerHash: try storage.hash(base), stateRoot: try storage.hash(base &+ .one),
                          committedAt: try storage.word(base &+ UInt256(2)).uint64 ?? 0)
    }

    mutating func setCommitment(_ number: UInt64, _ c: Commitment) throws {
        let base = SystemStorage.slot(UInt256(10), UInt256(number))
        try storage.setHash(base, c.headerHash)
        try storage.setHash(base &+ .one, c.stateRoot)
        try storage.setWord(base &+ UInt256(2), UInt256(c.committedAt))
    }
}
