/// What a quote attests: an SGX enclave's report or a TDX trust domain's report.
public enum QuoteBody: Sendable, Equatable {
    case sgx(SGXReport)
    case tdx(TDReport)

    /// The TEE the report comes from.
    public var teeType: TEEType {
        switch self {
        case .sgx: return .sgx
        case .tdx: return .tdx
        }
    }

    /// The 64 bytes of report data the enclave or TD chose (what binds a key or a statement to the quote).
    public var reportData: [UInt8] {
        switch self {
        case .sgx(let r): return r.reportData
        case .tdx(let r): return r.reportData
        }
    }

    /// Whether the enclave or TD runs in debug mode.
    public var debug: Bool {
        switch self {
        case .sgx(let r): return r.debug
        case .tdx(let r): return r.debug
        }
    }
}
