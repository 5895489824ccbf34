#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads and writes of the pseudo-files hardware attestation is driven through (Gramine's
/// `/dev/attestation`, the kernel's configfs-tsm): one `open`, whole-buffer `write`s, reads up to
/// a bound, with the path in every error.
enum InterfaceFile {
    /// Writes `bytes` from offset 0 in one go, as these interfaces expect (no truncation, no creation).
    static func writeAll(_ bytes: [UInt8], to path: String) throws(QuoteProviderError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unavailable(path: path, errno: errno) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { write(fd, $0 + written, bytes.count - written) } ?? 0 }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .writeFailed(path: path, errno: errno) }
            guard n > 0 else { throw .shortWrite(path: path, written: written, expected: bytes.count) }
            written += n
        }
    }

    /// Everything in `path` up to end of file, refused past `limit` bytes.
    static func readAll(_ path: String, limit: Int) throws(QuoteProviderError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unavailable(path: path, errno: errno) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { raw in raw.baseAddress.map { read(fd, $0, raw.count) } ?? 0 }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .readFailed(path: path, errno: errno) }
            if n == 0 { return out }
            guard out.count + n <= limit else { throw .tooLarge(path: path, limit: limit) }
            out += chunk[0..<n]
        }
    }

    /// The file's text without surrounding whitespace.
    static func text(_ path: String, limit: Int = 256) throws(QuoteProviderError) -> String {
        let bytes = try readAll(path, limit: limit)
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
