/// The Ethereum rule sets whose transaction rules Ankr can apply. Ankr's own chain runs the
/// newest; the others exist so official vectors can be checked fork by fork.
public enum Fork: Int, Comparable, Sendable, CaseIterable {
    case london, paris, shanghai, cancun

    public static func < (a: Fork, b: Fork) -> Bool { a.rawValue < b.rawValue }

    /// The name ethereum/tests uses.
    public var name: String {
        switch self {
        case .london: return "London"
        case .paris: return "Paris"
        case .shanghai: return "Shanghai"
        case .cancun: return "Cancun"
        }
    }

    public init?(name: String) {
        guard let f = Fork.allCases.first(where: { $0.name == name }) else { return nil }
        self = f
    }
}
