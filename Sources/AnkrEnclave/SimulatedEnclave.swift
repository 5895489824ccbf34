import AnkrCrypto
import AnkrPrimitives
import AnkrSandbox
import Foundation

/// A development attestation root: it certifies simulated platforms, as Intel's root certifies real
/// ones. Its public key goes into genesis (`config.ankr.attestationRoots`).
public struct DevelopmentAttestationRoot: Sendable {
    public let key: PrivateKey

    public init(key: PrivateKey) { self.key = key }

    public var publicKey: [UInt8] { key.publicKey.compressed }

    /// Certifies a platform key under a platform id.
    public func certify(platformID: H256, platformKey: PublicKey) throws -> [UInt8] {
        try key.sign(hash: AttestationEvidence.certificateHash(platformID: platformID, platformKey: platformKey.compressed)).rsv
    }
}

/// A simulated platform: its key, its id and the root's certificate for them.
public struct SimulatedPlatform: Sendable {
    public let id: H256
    let key: PrivateKey
    let certificate: [UInt8]

    public init(id: H256, key: PrivateKey, root: DevelopmentAttestationRoot) throws {
        self.id = id
        self.key = key
        self.certificate = try root.certify(platformID: id, platformKey: key.publicKey)
    }
}

/// An enclave without hardware: same interface and evidence layout, format `simulated`. The key
/// lives in this process, so the "enclave" is only as honest as whoever runs it — which is why
/// genesis must allow simulated attestation explicitly.
public struct SimulatedEnclave: Enclave {
    /// The measurement of a simulated enclave named `name`: keccak256("ankr-simulated-enclave:" ‖ name).
    public static func measurement(named name: String) -> H256 { Keccak256.h256(Array("ankr-simulated-enclave:\(name)".utf8)) }

    public let measurement: H256
    public let signer: H256
    public let debug: Bool
    public let platform: SimulatedPlatform
    private let key: PrivateKey
    private let clock: @Sendable () -> UInt64
    /// Subtasks run here, in this process, as they would inside a hardware enclave.
    private let sandbox = WasmSandbox()

    public init(name: String, platform: SimulatedPlatform, key: PrivateKey = .random(), debug: Bool = false,
                clock: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }) {
        self.measurement = Self.measurement(named: name)
        self.signer = Keccak256.h256(Array("ankr-simulated-signer".utf8))
        self.debug = debug
        self.platform = platform
        self.key = key
        self.clock = clock
    }

    public var publicKey: PublicKey { key.publicKey }

    public func attest(userData: [UInt8]) throws -> AttestationEvidence {
        guard userData.count <= 32 else { throw AttestationError.malformed("user data is at most 32 bytes") }
        let reportData = Keccak256.hash(publicKey.compressed) + userData + [UInt8](repeating: 0, count: 32 - userData.count)
        let report = EnclaveReport(measurement: measurement, signer: signer, debug: debug, reportData: reportData, timestamp: clock())
        return AttestationEvidence(format: .simulated, report: report, enclaveKey: publicKey.compressed, platformID: platform.id,
                                   platformKey: platform.key.publicKey.compressed, platformCertificate: platform.certificate,
                                   reportSignature: try platform.key.sign(hash: report.signingHash).rsv)
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
