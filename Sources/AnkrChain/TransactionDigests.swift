import AnkrPrimitives
import AnkrTrie

/// A block's transactions encoded once, and from those encodings its transactions root, the
/// transaction hashes the index stores and the body as stored: computed on another core while the
/// block executes (import used to encode every transaction three times on the executing thread).
enum TransactionDigests {
    /// What the encodings give.
    struct Digest: Sendable {
        var root: H256
        var hashes: [H256]
        var body: [UInt8]
    }

    /// Starts on another thread.
    static func start(_ transactions: [Transaction]) -> BackgroundComputation<Digest> {
        BackgroundComputation { compute(transactions) }
    }

    static func compute(_ transactions: [Transaction]) -> Digest {
        let encodings = transactions.map(\.encoded)
        // A legacy transaction is its RLP list in a body; a typed one is a byte string there.
        let items = zip(transactions, encodings).map { $0.type == .legacy ? $1 : RLP.encode(.bytes($1)) }
        return Digest(root: OrderedTrie.root(encodings), hashes: encodings.map { Keccak256.h256($0) },
                      body: RLP.encodeList(encodedItems: items))
    }
}
