import AnkrPrimitives

/// Why sealing stopped, or why a development chain refused a seal.
public enum SealError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The producer's `stop` condition held: its head moved on or newer transactions wait. Not a failure.
    case abandoned
    /// A development block carries seal bytes (its seal must be empty).
    case unexpectedSeal(bytes: Int)
    /// A development block changed the difficulty (it keeps its parent's).
    case difficultyChanged(parent: UInt256, block: UInt256)

    public var description: String {
        switch self {
        case .abandoned: return "sealing abandoned: the head moved on or newer transactions are waiting"
        case .unexpectedSeal(let n): return "invalid seal: a development chain's seal must be empty (it has \(n) bytes)"
        case .difficultyChanged(let p, let b): return "invalid seal: a development chain keeps its difficulty (\(p), the block has \(b))"
        }
    }
}

/// What a sealer measured while mining (for metrics): subtasks run, their fuel, and where the time went.
public struct SealingStats: Sendable, Equatable {
    public var subtasks = 0
    public var fuel: UInt64 = 0
    public var secondsInSandbox = 0.0
    public var secondsSealing = 0.0
    /// Seals of other miners whose subtask was executed again to check it.
    public var reexecutions = 0

    public init() {}

    /// The share of sealing time spent executing useful work.
    public var usefulFraction: Double { secondsSealing > 0 ? secondsInSandbox / secondsSealing : 0 }
}

/// The consensus seam: who may produce a block and how others check it. The PoUW sealer
/// implements this in `AnkrConsensus`; ``DevSealer`` serves development chains and tests.
public protocol Sealer: Sendable {
    /// The difficulty a child of `parent` sealed at `timestamp` must carry (set before sealing,
    /// because the seal commits to the header including it).
    func difficulty(parent: BlockHeader, timestamp: UInt64) -> UInt256
    /// Seals a fully built block (its header's `seal` is empty). `stop` is asked between units of work:
    /// true abandons the block (the producer's head moved on, or newer transactions are waiting).
    func seal(_ block: Block, chain: ChainReader, stop: @Sendable () -> Bool) throws -> Block
    /// Checks the seal of a header from anyone, before its block is executed.
    func verifySeal(_ header: BlockHeader, parent: BlockHeader, chain: ChainReader) throws
    /// Whether this sealer's blocks carry the time they were sealed, never ahead of the clock (then a
    /// producer waits for the next second rather than stamping parent + 1).
    var stampsWallClock: Bool { get }
    /// What this node's sealing measured, or nil for a sealer that does no work.
    var sealingStats: SealingStats? { get }
    /// A header's seal as JSON-RPC shows it (the `seal` of a block, `ankr_getSeal`): decoded for people
    /// and explorers where the sealer knows its format, else the raw bytes as hex.
    func describe(seal: [UInt8]) -> JSON
}

/// An import error that may say only that this node cannot judge a block now — a local time bound, its
/// clock — rather than that the block is invalid. P2P does not punish the peer that sent such a block.
public protocol LocalImportFailure: Error {
    /// True when the failure is this node's, not a verdict on the block.
    var isLocal: Bool { get }
}

/// Development consensus, like `geth --dev`: the local node seals instantly with an empty seal.
/// It provides no security at all; a chain using it trusts its single producer.
public struct DevSealer: Sealer {
    public init() {}

    public func difficulty(parent: BlockHeader, timestamp: UInt64) -> UInt256 { parent.difficulty }

    public func seal(_ block: Block, chain: ChainReader, stop: @Sendable () -> Bool) throws -> Block { block }

    public func verifySeal(_ header: BlockHeader, parent: BlockHeader, chain: ChainReader) throws {
        guard header.seal.isEmpty else { throw SealError.unexpectedSeal(bytes: header.seal.count) }
        guard header.difficulty == parent.difficulty else { throw SealError.difficultyChanged(parent: parent.difficulty, block: header.difficulty) }
    }

    public var stampsWallClock: Bool { false }

    public var sealingStats: SealingStats? { nil }

    /// The raw bytes as hex (`0x` for the empty development seal).
    public func describe(seal: [UInt8]) -> JSON { .string(seal.hexPrefixed) }
}
