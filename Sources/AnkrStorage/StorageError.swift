/// Why the database could not be opened or written.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case corrupt(String)
    case writeFailed(String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "cannot open the database at \(p): \(r)"
        case .corrupt(let why): return "database is corrupt: \(why)"
        case .writeFailed(let why): return "database write failed: \(why)"
        }
    }
}
