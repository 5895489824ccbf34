import AnkrPrimitives

/// Why a seal was refused.
public enum SealError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let why): return "invalid seal: \(why)"
        }
    }
}

/// The consensus seam: who may produce a block and how others check it. The PoUW sealer
/// implements this in `AnkrConsensus`; ``DevSealer`` serves development chains and tests.
public protocol Sealer: Sendable {
    /// The difficulty a child of `parent` sealed at `timestamp` must carry (set before sealing,
    /// because the seal commits to the header including it).
    func difficulty(parent: BlockHeader, timestamp: UInt64) -> UInt256
    /// Seals a fully built block (its header's `seal` is empty).
    func seal(_ block: Block) throws -> Block
    /// Checks the seal of a header from anyone, before its block is executed.
    func verifySeal(_ header: BlockHeader, parent: BlockHeader) throws
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

    public func seal(_ block: Block) throws -> Block { block }

    public func verifySeal(_ header: BlockHeader, parent: BlockHeader) throws {
        guard header.seal.isEmpty else { throw SealError.invalid("a development chain's seal must be empty") }
        guard header.difficulty == parent.difficulty else { throw SealError.invalid("a development chain keeps its difficulty") }
    }
}
