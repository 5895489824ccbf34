import Foundation

/// SGX quotes under Gramine: the enclave writes its 64 bytes of report data to
/// `<directory>/user_report_data` and reads the DCAP quote Gramine's quoting support returns from
/// `<directory>/quote`. The directory is `/dev/attestation` inside a Gramine enclave (the manifest
/// must set `sgx.remote_attestation = "dcap"`); tests point it at a fake of those files.
public final class GramineQuoteProvider: QuoteProvider, @unchecked Sendable {
    public static let defaultDirectory = "/dev/attestation"
    /// Quotes are a few KiB (the PCK certificate chain included); anything over this is refused.
    public static let maxQuoteBytes = 64 << 10

    public let directory: String
    public var format: AttestationFormat { .sgxDCAP }
    /// The two files form one exchange; concurrent callers would mix up report data and quotes.
    private let lock = NSLock()

    /// Checks Gramine reports DCAP attestation when it says which kind it runs (`attestation_type`).
    public init(directory: String = GramineQuoteProvider.defaultDirectory) throws(QuoteProviderError) {
        self.directory = directory
        let typeFile = directory + "/attestation_type"
        if FileManager.default.fileExists(atPath: typeFile) {
            let type = try InterfaceFile.text(typeFile)
            guard type == "dcap" else { throw .wrongAttestationType(type) }
        }
    }

    public func quote(reportData: [UInt8]) throws -> [UInt8] {
        guard reportData.count == 64 else { throw QuoteProviderError.reportDataSize(reportData.count) }
        return try lock.withLock { () throws(QuoteProviderError) -> [UInt8] in
            try InterfaceFile.writeAll(reportData, to: directory + "/user_report_data")
            let path = directory + "/quote"
            let quote = try InterfaceFile.readAll(path, limit: Self.maxQuoteBytes)
            guard !quote.isEmpty else { throw .empty(path: path) }
            return quote
        }
    }
}
