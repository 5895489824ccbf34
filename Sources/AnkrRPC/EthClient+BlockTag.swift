import AnkrPrimitives

extension EthClient {
    /// Which block a query reads: a named one or a number.
    public enum BlockTag: Sendable, Equatable {
        case latest, pending, earliest, safe, finalized
        case number(UInt64)

        /// The parameter as the node reads it: the tag's name or a hex quantity.
        public var json: JSON {
            switch self {
            case .latest: return "latest"
            case .pending: return "pending"
            case .earliest: return "earliest"
            case .safe: return "safe"
            case .finalized: return "finalized"
            case .number(let n): return RPCFormat.q(n)
            }
        }
    }
}
