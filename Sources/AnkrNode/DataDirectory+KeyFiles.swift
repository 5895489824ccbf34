import AnkrCrypto
import Foundation

/// Key files: a secp256k1 private key as hex text (an optional `0x` and surrounding whitespace
/// allowed), written with mode 0600 by ``AnkrCrypto/SecretFile`` so no other user can read it at any
/// moment, and replaced atomically.
extension DataDirectory {
    /// The key in the file at `url` (any file, inside a datadir or not: `--miner.key`, `--key`).
    /// At most this many bytes are read: a key file is 64 hex digits; `/dev/zero` or a huge file is refused.
    public static let maxKeyFileBytes = 1024

    public static func readKey(at url: URL) throws(DataDirectoryError) -> PrivateKey {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw .unreadableKeyFile(path: url.path) }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxKeyFileBytes + 1) ?? Data() else { throw .unreadableKeyFile(path: url.path) }
        guard data.count <= maxKeyFileBytes else { throw .malformedKeyFile(path: url.path) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = try? PrivateKey(hex: text) else { throw .malformedKeyFile(path: url.path) }
        return key
    }

    /// Writes `key` to `url` as hex, owner-only from its creation, replacing any file there.
    public static func writeKey(_ key: PrivateKey, to url: URL) throws {
        try SecretFile.write(Array(key.bytes.hex.utf8), to: url.path)
    }

    /// The node's peer-to-peer key from ``nodeKeyFile``, created (and the datadir with it) on first use.
    public func nodeKey() throws -> PrivateKey {
        if FileManager.default.fileExists(atPath: nodeKeyFile.path) { return try Self.readKey(at: nodeKeyFile) }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let key = PrivateKey.random()
        try Self.writeKey(key, to: nodeKeyFile)
        return key
    }

    /// The miner's worker key: from `file` when one is named (it must then exist), else from
    /// ``minerKeyFile`` when that exists; nil when neither is there.
    public func minerKey(file: URL? = nil) throws(DataDirectoryError) -> PrivateKey? {
        if let file { return try Self.readKey(at: file) }
        guard FileManager.default.fileExists(atPath: minerKeyFile.path) else { return nil }
        return try Self.readKey(at: minerKeyFile)
    }

    /// The development attestation root key in ``attestationRootKeyFile``.
    public func attestationRootKey() throws(DataDirectoryError) -> PrivateKey {
        guard FileManager.default.fileExists(atPath: attestationRootKeyFile.path) else {
            throw .missingAttestationRootKey(path: attestationRootKeyFile.path)
        }
        return try Self.readKey(at: attestationRootKeyFile)
    }
}
