import AnkrCrypto
import AnkrPrimitives
import AnkrSandbox

/// A trusted execution environment as the rest of Ankr sees it.
public protocol Enclave: Sendable {
    /// Identity of the code running inside.
    var measurement: H256 { get }
    /// The enclave's public key; its private half never leaves the enclave.
    var publicKey: PublicKey { get }
    /// Evidence binding ``publicKey`` and 32 bytes of caller data to this enclave and its platform.
    func attest(userData: [UInt8]) throws -> AttestationEvidence
    /// Signs a 32-byte message hash with the enclave key: the signature is over
    /// ``EnclaveMessage/digest(_:)`` of `hash`, a domain no ``PoUWStatement`` hash can fall in, so
    /// whoever drives the enclave cannot make it sign a mining statement this way.
    func sign(hash: [UInt8]) throws -> Signature
    /// Opens an ECIES message sent to ``publicKey`` (private oracle requests); the plaintext stays inside.
    func decrypt(_ message: [UInt8]) throws -> [UInt8]
    /// 64 bits or more of randomness from inside the enclave.
    func randomBytes(_ count: Int) throws -> [UInt8]
    /// Runs one subtask with at most `fuel` units inside the enclave, waiting at most `deadline`, and
    /// draws the PoUW ``Lottery`` for the fuel it metered itself; on a win it signs the
    /// ``PoUWStatement`` of that run for block `template`. The node learns whether it won but cannot
    /// claim more instructions than ran, nor get a statement signed for work not done. Sandbox
    /// failures throw `WorkError`.
    func mine(module: WorkModule, input: [UInt8], fuel: UInt64, target: UInt256, deadline: Duration, template: H256,
              subtaskID: H256) throws -> MinedSubtask
}

extension Enclave {
    /// A subtask mined for no block (benchmarks and tests of the metering): a win is signed for the zero template.
    public func mine(module: WorkModule, input: [UInt8], fuel: UInt64, target: UInt256, deadline: Duration) throws -> MinedSubtask {
        try mine(module: module, input: input, fuel: fuel, target: target, deadline: deadline, template: .zero, subtaskID: .zero)
    }
}
