import Foundation

/// Reads input files with a size limit, so `/dev/zero` or a huge file is refused instead of exhausting memory.
enum BoundedFile {
    /// The bytes of the file at `path`; `what` names it in errors.
    static func read(_ path: String, limit: Int, what: String) throws(AttestationInputError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadableFile(what: what, path: path) }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch { throw .unreadableFile(what: what, path: path) }
        guard data.count <= limit else { throw .fileTooLarge(what: what, path: path, limit: limit) }
        return [UInt8](data)
    }
}
