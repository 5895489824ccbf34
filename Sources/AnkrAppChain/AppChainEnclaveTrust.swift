import AnkrChain
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrOracle
import AnkrPrimitives
import AnkrRPC
import Logging

/// Keeps an oracle enclave trusted on an application chain, the way that chain allows: registered with its evidence in
/// the main chain's ``EnclaveRegistry`` (renewed at half its period), announced to the chain by its root
/// (`announceEnclave`), and the announcement accepted there by the ``EnclaveRegistryMirror`` once the operator has
/// delivered it. One account (the relay's key) acts on both chains and is the enclave's registrant, hence its payee.
///
/// ``round()`` does the next step that is due and says whether the enclave is trusted on the chain with the main
/// chain's current registration; a relay calls it until it is, then every few minutes.
public final class AppChainEnclaveTrust: @unchecked Sendable {
    public let enclave: Enclave
    /// Transactions on the main chain and on the application chain, signed by the same key.
    public let main: Transactor
    public let child: Transactor
    public let root: Address
    private let logger: Logger
    /// An announcement sent and not yet accepted on the chain: its message index and data.
    private var pending: (index: UInt64, data: [UInt8], registeredAt: UInt64)?

    public init(enclave: Enclave, main: Transactor, child: Transactor, root: Address, logger: Logger) {
        self.enclave = enclave; self.main = main; self.child = child; self.root = root; self.logger = logger
    }

    /// One step; true once the chain's mirror holds the main chain's live registration of the enclave by this account.
    @discardableResult
    public func round() throws -> Bool {
        let address = enclave.publicKey.address, me = main.signer.address
        let now = try main.client.block(number: .latest)?.timestamp ?? 0
        var registration = try Self.registration(of: address, on: main.client)
        if registration?.registrant != me
            || registration.map({ OracleRelay.renewalDue(registeredAt: $0.registeredAt, expiresAt: $0.expiresAt, now: now) }) ?? true {
            let binding = EnclaveRegistry.registrationBinding(chainID: try main.client.chainID(), registrant: me, role: .oracle)
            let data = try ABI.encodeCall("register(bytes,uint8)", [.bytes(try enclave.attest(userData: binding).encoded), .uint(.one)])
            try main.waitForSuccess(try main.send(to: EnclaveRegistry.address, data: data))
            logger.notice("oracle enclave registered on the main chain", metadata: ["enclave": "\(address.checksummed)"])
            registration = try Self.registration(of: address, on: main.client)
        }
        guard let current = registration, current.registrant == me else { return false }
        if let mirrored = try Self.registration(of: address, on: child.client), mirrored.registrant == me, mirrored.registeredAt == current.registeredAt {
            pending = nil
            return true
        }
        if pending == nil || pending?.registeredAt != current.registeredAt {
            let receipt = try main.waitForSuccess(try main.send(to: root, data: try ABI.encodeCall("announceEnclave(address,uint8)",
                                                                                                    [.address(address), .uint(.one)])))
            let topic = AppChainRoot.interface.event(named: "MessageSent")?.topic
            guard let log = receipt.logs.first(where: { $0.address == root && $0.topics.first == topic && $0.topics.count == 4 }),
                  let index = UInt256(bigEndian: log.topics[1].bytes)?.uint64,
                  let data = try? ABI.decode([.uint(bits: 256), .bytes], from: log.data)[1].bytesValue else {
                throw AppChainCommitterError.badAnswer("announceEnclave's receipt")
            }
            pending = (index, data, current.registeredAt)
            logger.notice("oracle enclave announced to the application chain", metadata: ["message": "\(index)"])
        }
        guard let (index, data, _) = pending else { return false }
        let delivered = try child.client.call(.init(to: AppChainBridge.address,
                                                     data: try ABI.encodeCall("messagePending(uint256)", [.uint(UInt256(index))])))
        guard delivered.count == 32, delivered[31] == 1 else { return false }
        try child.waitForSuccess(try child.send(to: EnclaveRegistry.address,
                                                data: try ABI.encodeCall("acceptEnclave(uint256,bytes)", [.uint(UInt256(index)), .bytes(data)])))
        logger.notice("oracle enclave trusted on the application chain", metadata: ["enclave": "\(address.checksummed)", "message": "\(index)"])
        pending = nil
        return true
    }

    /// The live oracle registration of `enclave` the registry (or mirror) behind `client` reports: registrant and times.
    static func registration(of enclave: Address, on client: EthClient) throws -> (registrant: Address, registeredAt: UInt64, expiresAt: UInt64)? {
        guard let f = EnclaveRegistryMirror.interface.functions.first(where: { $0.name == "registration" }) else { return nil }
        let out = try ABI.decode(f.outputTypes, from: try client.call(.init(to: EnclaveRegistry.address,
                                                                               data: try ABI.encodeCall(f.signature, [.address(enclave), .uint(.one)]))))
        guard out.count == 10, out[3] == .bool(true), let who = out[0].addressValue, let at = out[1].uintValue?.uint64,
              let until = out[2].uintValue?.uint64 else { return nil }
        return (who, at, until)
    }
}
