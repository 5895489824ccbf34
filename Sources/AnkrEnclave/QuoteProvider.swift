/// Where an enclave's hardware quotes come from: given 64 bytes of report data, a DCAP quote
/// over them signed by the platform's quoting enclave. ``GramineQuoteProvider`` (SGX under
/// Gramine) and ``TDXQuoteProvider`` (a TDX guest's configfs-tsm) reach the hardware through
/// files, so tests put fakes of those files in a temporary directory.
public protocol QuoteProvider: Sendable {
    /// The evidence format of the quotes (`sgx-dcap` or `tdx-dcap`).
    var format: AttestationFormat { get }
    /// A quote whose report data is `reportData` (exactly 64 bytes).
    func quote(reportData: [UInt8]) throws -> [UInt8]
}
