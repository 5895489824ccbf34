import AnkrCrypto
import AnkrPrimitives
import AnkrSandbox
import Foundation

/// An enclave on Intel hardware: the process runs inside an SGX enclave (Gramine) or a TDX
/// confidential VM, its key lives in that process's memory, and its evidence is a DCAP quote
/// from a ``QuoteProvider`` (`sgx-dcap` / `tdx-dcap`) over keccak256(key) ‖ user data. Its
/// measurement is read from a quote at start, so it is whatever the hardware measured (MRENCLAVE,
/// or the TD's MRTD and RTMRs), not something the process claims.
public struct DCAPEnclave: Enclave {
    public let measurement: H256
    public let provider: QuoteProvider
    private let key: PrivateKey
    private let sandbox = WasmSandbox()

    /// Takes one quote to learn the measurement; fails if the backend cannot quote.
    public init(provider: QuoteProvider, key: PrivateKey) throws {
        self.provider = provider
        self.key = key
        self.measurement = try Self.evidence(provider: provider, key: key, userData: []).report.measurement
    }

    public var publicKey: PublicKey { key.publicKey }

    private static func evidence(provider: QuoteProvider, key: PrivateKey, userData: [UInt8]) throws -> AttestationEvidence {
        guard userData.count <= 32 else { throw AttestationError.malformed("user data is at most 32 bytes") }
        let enclaveKey = key.publicKey.compressed
        let reportData = Keccak256.hash(enclaveKey) + userData + [UInt8](repeating: 0, count: 32 - userData.count)
        let evidence = try AttestationEvidence(format: provider.format, quote: try provider.quote(reportData: reportData), enclaveKey: enclaveKey)
        guard evidence.report.reportData == reportData else { throw QuoteProviderError.reportDataMismatch }
        return evidence
    }

    public func attest(userData: [UInt8]) throws -> AttestationEvidence {
        try Self.evidence(provider: provider, key: key, userData: userData)
    }

    public func sign(hash: [UInt8]) throws -> Signature { try key.sign(hash: EnclaveMessage.digest(hash)) }

    public func decrypt(_ message: [UInt8]) throws -> [UInt8] { try ECIES.decrypt(message, with: key) }

    public func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<max(0, count)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    public func mine(module: WorkModule, input: [UInt8], fuel: UInt64, target: UInt256, deadline: Duration, template: H256,
                     subtaskID: H256) throws -> MinedSubtask {
        try sandbox.mine(module, input: input, fuel: fuel, target: target, deadline: deadline, template: template, subtaskID: subtaskID,
                         key: key) { randomBytes(16) }
    }
}
