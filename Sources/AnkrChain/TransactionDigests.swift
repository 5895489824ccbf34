import AnkrPrimitives
import AnkrTrie
import Dispatch
import Foundation

/// A block's transactions encoded once, and from those encodings its transactions root, the
/// transaction hashes the index stores and the body as stored: computed on another core while the
/// block executes (import used to encode every transaction three times on the executing thread).
final class TransactionDigests: @unchecked Sendable {
    /// What the encodings give.
    struct Digest: Sendable {
        var root: H256
        var hashes: [H256]
        var body: [UInt8]
    }

    private let done = NSCondition()
    private var digest: Digest?

    /// Starts on a background thread; ``wait()`` returns the result.
    init(_ transactions: [Transaction]) {
        DispatchQueue.global(qos: .userInitiated).async {
            let digest = Self.compute(transactions)
            self.done.lock()
            self.digest = digest
            self.done.broadcast()
            self.done.unlock()
        }
    }

    /// Computed on the calling thread (a block this node built, with nothing to overlap).
    init(computingNow transactions: [Transaction]) {
        digest = Self.compute(transactions)
    }

    func wait() -> Digest {
        done.lock()
        defer { done.unlock() }
        while true {
            if let digest { return digest }
            done.wait()
        }
    }

    static func compute(_ transactions: [Transaction]) -> Digest {
        let encodings = transactions.map(\.encoded)
        // A legacy transaction is its RLP list in a body; a typed one is a byte string there.
        let items = zip(transactions, encodings).map { $0.type == .legacy ? $1 : RLP.encode(.bytes($1)) }
        return Digest(root: OrderedTrie.root(encodings), hashes: encodings.map { Keccak256.h256($0) },
                      body: RLP.encodeList(encodedItems: items))
    }
}
