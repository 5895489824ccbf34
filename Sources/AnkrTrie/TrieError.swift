import AnkrPrimitives

/// Why a trie operation or proof check failed.
public enum TrieError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingNode(H256)
    case malformedNode(H256?, String)
    case proofMissingNode(H256)
    case proofMismatch(String)
    case indexOutOfRange(Int, limit: Int)
    case tooManyLeaves(Int, limit: Int)
    case wrongProofLength(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .missingNode(let h): return "trie node \(h) is not in the store"
        case .malformedNode(let h, let why): return "malformed trie node \(h.map(\.description) ?? "(embedded)"): \(why)"
        case .proofMissingNode(let h): return "proof does not contain node \(h)"
        case .proofMismatch(let why): return "proof does not match: \(why)"
        case .indexOutOfRange(let i, let limit): return "leaf index \(i) is outside 0..<\(limit)"
        case .tooManyLeaves(let n, let limit): return "\(n) leaves do not fit a tree of \(limit)"
        case .wrongProofLength(let e, let a): return "proof must be \(e) bytes, got \(a)"
        }
    }
}
