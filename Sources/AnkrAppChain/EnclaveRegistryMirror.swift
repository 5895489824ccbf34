import AnkrChain
import AnkrEnclaveRegistry
import AnkrPrimitives

/// The enclave registry of an application chain, at the main chain's ``EnclaveRegistry`` address there: it verifies
/// no attestation itself, it keeps what the main chain's registry announces (``EnclaveAnnouncement``s, sent by
/// `announceEnclave` on the chain's root as messages from the registry's address), so the chain trusts exactly the
/// enclaves registered on the main chain — never the operator's word. Its storage is laid out as the registry's, so
/// the NOS on the chain reads registrations with ``EnclaveRegistry/registration(of:role:state:time:)`` unchanged.
///
/// - `acceptEnclave(index, data)`: anyone; consumes bridge message `index` (it must be from the registry to the
///   registry with that data, delivered and not consumed) and stores its announcement — unless a later announcement
///   of that enclave and role was accepted already (messages may be consumed in any order; the newest wins).
/// - `registration(enclave, role)`: the registry's view (registrant, times, live, key, …).
public struct EnclaveRegistryMirror: SystemContract {
    public var address: Address { EnclaveRegistry.address }
    public var name: String { "EnclaveRegistryMirror" }
    public var interface: ContractInterface { Self.interface }

    public init() {}

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("acceptEnclave", [P("index", .uint(bits: 256)), P("data", .bytes)], returns: [P("enclave", .address)]),
            .init("registration", [P("enclave", .address), P("role", .uint(bits: 8))],
                  returns: [P("registrant", .address), P("registeredAt", .uint(bits: 64)), P("expiresAt", .uint(bits: 64)), P("live", .bool),
                            P("key", .bytes), P("format", .string), P("measurement", .fixedBytes(32)), P("signer", .fixedBytes(32)),
                            P("platformId", .fixedBytes(32)), P("tcbStatus", .string)], .view),
            .init("announcedThrough", [P("enclave", .address), P("role", .uint(bits: 8))], returns: [P("index", .uint(bits: 256))], .view),
        ],
        events: [.init("EnclaveAnnounced", [P("enclave", .address, indexed: true), P("role", .uint(bits: 8)), P("live", .bool), P("expiresAt", .uint(bits: 64))])])

    /// The slot holding 1 + the index of the newest announcement accepted for an enclave and role.
    static func newestSlot(_ enclave: Address, _ role: EnclaveRole) -> UInt256 {
        SystemStorage.slot(UInt256(9), enclave.word, UInt256(UInt64(role.rawValue)))
    }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        try Self.interface.dispatch(call, storage: SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)) { f, a, s, logs in
            func revert(_ why: String) -> SystemCallError { .reverted(why, gasUsed: s.gasUsed) }
            func role(_ v: ABIValue) throws -> EnclaveRole {
                guard let code = v.uintValue?.uint64, let r = UInt8(exactly: code).flatMap(EnclaveRole.init(rawValue:)) else {
                    throw revert("role must be 0 (miner) or 1 (oracle)")
                }
                return r
            }
            switch f.name {
            case "acceptEnclave":
                guard let index = a[0].uintValue?.uint64, index < .max, let data = a[1].bytesValue, data.count <= AppChainMessage.maxDataBytes,
                      let announcement = EnclaveAnnouncement(encoded: data) else {
                    throw revert("not an enclave announcement")
                }
                // Consume the message at the bridge, metered from what this call has left.
                try s.charge(6 &* (UInt64(data.count) / 32 &+ 1))
                let (left, _) = s.gasLimit.subtractingReportingOverflow(s.gasUsed)
                var bridge = SystemStorage(state: state, address: AppChainBridge.address, gasLimit: left)
                let refused = try consume(&bridge, slot: SystemStorage.slot(UInt256(4), UInt256(index)), index: index, sender: EnclaveRegistry.address,
                                          target: EnclaveRegistry.address, data: data)
                try s.charge(bridge.gasUsed)
                if let refused { throw revert(refused) }
                let newest = Self.newestSlot(announcement.enclave, announcement.role)
                guard UInt256(index + 1) > (try s.word(newest)) else {
                    throw revert("a later announcement of \(announcement.enclave.checksummed) was accepted already")
                }
                try s.setWord(newest, UInt256(index + 1))
                let stored = announcement.registration ?? EnclaveRegistration(
                    enclave: announcement.enclave, key: [], role: announcement.role, registrant: .zero, format: .simulated, measurement: .zero,
                    signer: .zero, platformID: .zero, tcbStatus: nil, registeredAt: 0, expiresAt: 0)
                try EnclaveRegistry.storeAnnounced(stored, &s)
                logs.append(try Self.interface.log("EnclaveAnnounced", address: address, indexed: [announcement.enclave.word],
                                                   data: [.uint(UInt256(UInt64(announcement.role.rawValue))), .bool(announcement.registration != nil),
                                                          .uint(UInt256(stored.expiresAt))]))
                return [.address(announcement.enclave)]
            case "registration":
                return try EnclaveRegistry.registrationView(a[0].addressValue ?? .zero, try role(a[1]), time: call.block.timestamp, &s)
            default:
                return [.uint(try s.word(Self.newestSlot(a[0].addressValue ?? .zero, try role(a[1]))))]
            }
        }
    }
}
