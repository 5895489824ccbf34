import AnkrPrimitives

/// The block a transaction runs in.
public struct BlockEnvironment: Sendable {
    public var chainID: UInt64
    public var coinbase: Address
    public var number: UInt64
    public var timestamp: UInt64
    public var gasLimit: UInt64
    public var baseFee: UInt256
    public var prevRandao: H256
    public var blobBaseFee: UInt256
    /// Hashes of recent blocks for BLOCKHASH (number → hash; missing ones read as zero).
    public var blockHashes: [UInt64: H256]

    public init(chainID: UInt64, coinbase: Address, number: UInt64, timestamp: UInt64, gasLimit: UInt64, baseFee: UInt256,
                prevRandao: H256 = .zero, blobBaseFee: UInt256 = .one, blockHashes: [UInt64: H256] = [:]) {
        self.chainID = chainID; self.coinbase = coinbase; self.number = number; self.timestamp = timestamp; self.gasLimit = gasLimit
        self.baseFee = baseFee; self.prevRandao = prevRandao; self.blobBaseFee = blobBaseFee; self.blockHashes = blockHashes
    }
}

/// What ORIGIN, GASPRICE and BLOBHASH read.
public struct TransactionEnvironment: Sendable {
    public var origin: Address
    public var gasPrice: UInt256
    public var blobHashes: [H256]

    public init(origin: Address, gasPrice: UInt256, blobHashes: [H256] = []) { self.origin = origin; self.gasPrice = gasPrice; self.blobHashes = blobHashes }
}

/// A log an executing contract emitted.
public struct EVMLog: Equatable, Sendable {
    public let address: Address
    public let topics: [H256]
    public let data: [UInt8]

    public init(address: Address, topics: [H256], data: [UInt8]) { self.address = address; self.topics = topics; self.data = data }
}

/// The outcome of a call or creation frame.
public struct FrameResult: Sendable {
    public enum Status: Sendable, Equatable { case success, revert, failure(String) }
    public var status: Status
    public var gasLeft: UInt64
    public var output: [UInt8]
    /// The created contract's address (creations only, on success).
    public var created: Address?

    public init(status: Status, gasLeft: UInt64, output: [UInt8], created: Address? = nil) {
        self.status = status; self.gasLeft = gasLeft; self.output = output; self.created = created
    }

    public var succeeded: Bool { status == .success }
}
