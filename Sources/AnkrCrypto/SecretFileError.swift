import Foundation

/// Why a key file or a private directory could not be written; `errno` is the system's reason.
public enum SecretFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotCreate(path: String, errno: Int32)
    case cannotWrite(path: String, errno: Int32)
    case cannotSync(path: String, errno: Int32)
    case cannotReplace(path: String, errno: Int32)
    /// Every temporary name tried already existed: something keeps planting files in the directory.
    case noFreeTemporaryName(directory: String, attempts: Int)
    case cannotCreateDirectory(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotCreate(let p, let e): return "cannot create \(p): \(Self.reason(e))"
        case .cannotWrite(let p, let e): return "cannot write \(p): \(Self.reason(e))"
        case .cannotSync(let p, let e): return "cannot flush \(p) to disk: \(Self.reason(e))"
        case .cannotReplace(let p, let e): return "cannot move the new file into place at \(p): \(Self.reason(e))"
        case .noFreeTemporaryName(let d, let n): return "\(n) temporary names in \(d) were all taken; refusing to write there"
        case .cannotCreateDirectory(let p, let e): return "cannot create the directory \(p): \(Self.reason(e))"
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
