import AnkrPrimitives
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How every key file is written (node key, miner and attestation keys, keystore files, the oracle
/// enclave's sealed key): created with mode 0600 from the start — there is never a moment when the
/// key sits in a file others can read, as there is with write-then-chmod — under a fresh,
/// unpredictable name in the target's directory, opened with `O_CREAT|O_EXCL|O_NOFOLLOW` so a file
/// or symlink planted at that name makes the open fail rather than redirect the write, fsynced, then
/// renamed over the target (a reader sees the old file or the whole new one; a symlink at the target
/// is replaced, not followed).
public enum SecretFile {
    /// How many fresh temporary names are tried before giving up.
    static let attempts = 8

    /// Writes `bytes` to `path` (replacing any file there) as described above.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(bytes, to: path) { ".\(URL(fileURLWithPath: path).lastPathComponent).\(randomSuffix()).tmp" }
    }

    /// `temporaryName` gives the next name to try in the target's directory (tests plant files there).
    static func write(_ bytes: [UInt8], to path: String, temporaryName: () -> String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var created: (fd: Int32, path: String)?
        for _ in 0..<attempts {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(temporaryName()).path
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
            if fd >= 0 { created = (fd, candidate); break }
            guard errno == EEXIST else { throw SecretFileError.cannotCreate(path: candidate, errno: errno) }
        }
        guard let (fd, temporary) = created else { throw SecretFileError.noFreeTemporaryName(directory: directory, attempts: attempts) }
        do {
            try writeAll(bytes, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw SecretFileError.cannotSync(path: temporary, errno: errno) }
            guard close(fd) == 0 else { throw SecretFileError.cannotWrite(path: temporary, errno: errno) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SecretFileError.cannotReplace(path: path, errno: code)
        }
        // The rename itself must survive a crash too. Some file systems cannot sync a directory (EINVAL); the file is in place regardless.
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            let synced = fsync(dir) == 0 || errno == EINVAL
            close(dir)
            guard synced else { throw SecretFileError.cannotSync(path: directory, errno: errno) }
        }
    }

    /// A new directory readable by the owner only (mode 0700), named `<prefix>XXXXXX` with a random
    /// suffix under the system's temporary directory (`mkdtemp`): nobody can guess it or create it first.
    public static func makeTemporaryDirectory(prefix: String) throws -> String {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent(prefix + "XXXXXX").path
        var buffer = Array(template.utf8CString)
        let made = buffer.withUnsafeMutableBufferPointer { b in b.baseAddress.map { mkdtemp($0) != nil } ?? false }
        guard made else { throw SecretFileError.cannotCreateDirectory(path: template, errno: errno) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SecretFileError.cannotWrite(path: path, errno: errno)
            }
            offset += n
        }
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }.hex
    }
}
