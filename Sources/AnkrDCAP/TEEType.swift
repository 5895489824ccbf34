/// The trusted execution environment a quote comes from: an SGX enclave or a TDX trust domain.
public enum TEEType: String, Sendable, CaseIterable {
    case sgx = "SGX"
    case tdx = "TDX"
}
