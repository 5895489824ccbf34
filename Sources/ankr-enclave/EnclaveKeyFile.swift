import AnkrCrypto
import Foundation

/// The enclave key on disk: hex, owner-only. Under Gramine the file is listed in the manifest's
/// encrypted files with the enclave's sealing key, so only this measured enclave can read it.
enum EnclaveKeyFile {
    /// Key files hold 64 hex digits; anything much longer is not one.
    static let maxBytes = 1024

    enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case malformed(String)

        var description: String {
            switch self {
            case .unreadable(let path): return "cannot read the key file \(path)"
            case .malformed(let path): return "\(path) does not hold a hex private key"
            }
        }
    }

    /// The key in `path`, or a new one written there when there is no file.
    static func load(_ path: String) throws -> PrivateKey {
        guard FileManager.default.fileExists(atPath: path) else {
            let key = PrivateKey.random()
            try SecretFile.write(Array(key.bytes.hex.utf8), to: path)
            return key
        }
        return try read(path)
    }

    /// The key in `path`, which must exist.
    static func read(_ path: String) throws -> PrivateKey {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure.unreadable(path) }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxBytes + 1) ?? Data(), data.count <= maxBytes else { throw Failure.malformed(path) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = try? PrivateKey(hex: text) else { throw Failure.malformed(path) }
        return key
    }
}
