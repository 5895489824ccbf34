/// Why a quote backend could not produce a quote; paths name the file of the interface at fault.
public enum QuoteProviderError: Error, Equatable, Sendable, CustomStringConvertible {
    case reportDataSize(Int)
    case unavailable(path: String, errno: Int32)
    case writeFailed(path: String, errno: Int32)
    case shortWrite(path: String, written: Int, expected: Int)
    case readFailed(path: String, errno: Int32)
    case tooLarge(path: String, limit: Int)
    case empty(path: String)
    case wrongAttestationType(String)
    case wrongProvider(String)
    case generationChanged(before: UInt64, after: UInt64)
    case unreadableGeneration(path: String)
    /// The quote does not carry the report data it was asked for.
    case reportDataMismatch

    public var description: String {
        switch self {
        case .reportDataSize(let n): return "report data must be 64 bytes, is \(n)"
        case .unavailable(let p, let e): return "\(p) is not available (errno \(e)): is this running inside the enclave / TD?"
        case .writeFailed(let p, let e): return "writing \(p) failed (errno \(e))"
        case .shortWrite(let p, let n, let e): return "wrote \(n) of \(e) bytes to \(p)"
        case .readFailed(let p, let e): return "reading \(p) failed (errno \(e))"
        case .tooLarge(let p, let l): return "\(p) holds more than \(l) bytes"
        case .empty(let p): return "\(p) gave no quote"
        case .wrongAttestationType(let t): return "Gramine's attestation type is \(t), not dcap (set sgx.remote_attestation = \"dcap\" in the manifest)"
        case .wrongProvider(let p): return "the configfs-tsm provider is \(p), not tdx_guest"
        case .generationChanged(let b, let a): return "the TSM report changed under us (generation \(b) → \(a)): another writer raced; retry"
        case .unreadableGeneration(let p): return "\(p) does not hold a generation number"
        case .reportDataMismatch: return "the quote's report data is not the report data written for it"
        }
    }
}
