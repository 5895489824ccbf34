import AnkrPrimitives

/// What an application chain is tuned for (the white paper's three kinds of child chain), stored with
/// the chain in the registry. The numbers bound what the main chain must be able to check: a child
/// block's gas limit is what a dispute re-executes in one main-chain block, so it stays well under the
/// main chain's 30,000,000 gas beside the witness (see ``AppChainRoot/disputeGas(gasLimit:transactions:witnessBytes:witnessBlobs:)``).
public enum AppChainProfile: String, CaseIterable, Sendable {
    /// Low volume, high value (leases, titles): long blocks, small blocks, a week to dispute, as a
    /// Plasma exit's challenge period — holders check rarely and the sums justify waiting.
    case realEstate = "real-estate"
    /// High volume, low value (shops, payments): a block a second, the largest blocks a dispute can
    /// still re-execute, a day to dispute — a watcher online once a day is enough.
    case eCommerce = "e-commerce"
    /// Request/response in real time (prediction markets): a block a second, mid-size blocks, an hour
    /// to dispute — its users run watchers all the time.
    case realTime = "real-time"

    /// The profile's code in contract storage (1…3).
    public var code: UInt8 {
        switch self {
        case .realEstate: return 1
        case .eCommerce: return 2
        case .realTime: return 3
        }
    }

    public init?(code: UInt8) {
        guard let p = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = p
    }

    /// Seconds between the operator's blocks.
    public var blockIntervalSeconds: UInt64 {
        switch self {
        case .realEstate: return 15
        case .eCommerce, .realTime: return 1
        }
    }

    /// The largest gas limit a child block may carry (each block's `gasLimit` header field).
    public var maxBlockGasLimit: UInt64 {
        switch self {
        case .realEstate: return 2_000_000
        case .eCommerce: return 10_000_000
        case .realTime: return 5_000_000
        }
    }

    /// The largest encoded child block (header and transactions) the operator may commit. A dispute carries the
    /// block again beside its witness in one main-chain transaction (at most 128 KiB), so block and witness share
    /// ``challengeBytes``: a profile for many small transactions gives the block more, one for contracts that
    /// touch much state gives the witness more.
    public var maxBlockBytes: Int {
        switch self {
        case .realEstate: return 16 * 1024
        case .eCommerce: return 36 * 1024
        case .realTime: return 24 * 1024
        }
    }

    /// The most witness re-executing one of the chain's blocks may read (``WitnessNodeStore/servedBytes``: ABI bytes of
    /// the distinct trie nodes and code it reads); a block that reads more is invalid, so every block can be disputed.
    public var maxWitnessBytes: Int { Self.challengeBytes - maxBlockBytes }

    /// The smallest ``maxWitnessBytes`` of all profiles: what a producer uses before it knows its chain's.
    public static var smallestWitnessBytes: Int { allCases.map(\.maxWitnessBytes).min() ?? 0 }

    /// Block and witness together in a challenge: 128 KiB less the blob that can carry a witness past its bound (at
    /// most a 24,576-byte contract code, 24,640 as ABI), the parent header (≤ 1 KiB) and the call's head and the
    /// transaction's envelope (≤ 2 KiB).
    public static let challengeBytes = 100 * 1024

    /// The most bytes of transactions the operator's producer puts in a block: the block bound less room for
    /// the header and the list and ABI framing around them.
    public var maxTransactionBytes: Int { maxBlockBytes - 2_048 }

    /// The smallest ``maxTransactionBytes`` of all profiles: what a producer uses before it knows its chain's.
    public static var smallestTransactionBytes: Int { allCases.map(\.maxTransactionBytes).min() ?? 0 }

    /// Main-chain seconds within which the operator must apply a deposit: after them, `commitBlock` refuses every
    /// block that has not applied it (a chain that skips a due deposit stops being committed).
    public var depositDeadlineSeconds: UInt64 {
        switch self {
        case .realEstate: return 900
        case .eCommerce: return 300
        case .realTime: return 120
        }
    }

    /// Main-chain seconds during which a committed child block can be disputed; after it the block is final.
    public var disputeWindowSeconds: UInt64 {
        switch self {
        case .realEstate: return 604_800
        case .eCommerce: return 86_400
        case .realTime: return 3_600
        }
    }
}
