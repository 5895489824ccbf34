#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// TDX quotes through the kernel's configfs-tsm report interface (Documentation/ABI/testing/
/// configfs-tsm): a report entry `<directory>/report/<entry>` (made with mkdir, kept and reused),
/// 64 bytes of report data written to its `inblob`, the quote read from its `outblob`. Its
/// `generation` counts writes; it is read before and after `outblob`, and a change means another
/// writer used the entry in between, so the quote may not be over our data.
public final class TDXQuoteProvider: QuoteProvider, @unchecked Sendable {
    public static let defaultDirectory = "/sys/kernel/config/tsm"
    public static let maxQuoteBytes = 64 << 10

    public let entry: String
    public var format: AttestationFormat { .tdxDCAP }
    private let lock = NSLock()

    /// Opens (creating if needed) the report entry `entryName` and checks its provider is `tdx_guest`.
    public init(directory: String = TDXQuoteProvider.defaultDirectory, entryName: String = "ankr-enclave") throws(QuoteProviderError) {
        entry = directory + "/report/" + entryName
        if mkdir(entry, 0o700) != 0, errno != EEXIST { throw .unavailable(path: entry, errno: errno) }
        let provider = entry + "/provider"
        if FileManager.default.fileExists(atPath: provider) {
            let name = try InterfaceFile.text(provider)
            guard name == "tdx_guest" else { throw .wrongProvider(name) }
        }
    }

    private func generation() throws(QuoteProviderError) -> UInt64 {
        let path = entry + "/generation"
        guard let value = UInt64(try InterfaceFile.text(path)) else { throw .unreadableGeneration(path: path) }
        return value
    }

    public func quote(reportData: [UInt8]) throws -> [UInt8] {
        guard reportData.count == 64 else { throw QuoteProviderError.reportDataSize(reportData.count) }
        return try lock.withLock { () throws(QuoteProviderError) -> [UInt8] in
            try InterfaceFile.writeAll(reportData, to: entry + "/inblob")
            let before = try generation()
            let path = entry + "/outblob"
            let quote = try InterfaceFile.readAll(path, limit: Self.maxQuoteBytes)
            let after = try generation()
            guard before == after else { throw .generationChanged(before: before, after: after) }
            guard !quote.isEmpty else { throw .empty(path: path) }
            return quote
        }
    }
}
