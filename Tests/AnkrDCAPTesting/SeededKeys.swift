import Crypto

/// Keys and serial numbers derived from a seed and a label, so a test PKI minted twice from the same seed has the
/// same keys (and so the same root key a test genesis can pin). ECDSA signatures stay randomised, so certificates and
/// quotes differ byte-wise between runs while verifying the same way.
enum SeededKeys {
    /// A P-256 signing key: SHA-256 of the seed, the label and a counter, retried while the digest is not a valid scalar.
    static func key(seed: UInt64, label: String) throws(TestPKIError) -> P256.Signing.PrivateKey {
        for counter in UInt8(0)..<16 {
            let material = digest(seed: seed, label: label, counter: counter)
            if let key = try? P256.Signing.PrivateKey(rawRepresentation: material) { return key }
        }
        throw .noKeyForSeed(label: label)
    }

    /// Sixteen bytes for a certificate serial number: positive and without a leading zero byte, so its DER INTEGER
    /// is always 16 content bytes.
    static func serial(seed: UInt64, label: String) -> [UInt8] {
        var bytes = Array(digest(seed: seed, label: "serial:" + label, counter: 0).prefix(16))
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return bytes
    }

    /// `count` bytes (at most 32) for an identifier such as a PPID.
    static func bytes(seed: UInt64, label: String, count: Int) -> [UInt8] {
        Array(digest(seed: seed, label: "bytes:" + label, counter: 0).prefix(count))
    }

    private static func digest(seed: UInt64, label: String, counter: UInt8) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("ankr-dcap-testpki".utf8))
        hasher.update(data: withUnsafeBytes(of: seed.bigEndian) { Array($0) })
        hasher.update(data: Array(label.utf8))
        hasher.update(data: [counter])
        return Array(hasher.finalize())
    }
}
