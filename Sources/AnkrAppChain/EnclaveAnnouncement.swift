import AnkrDCAP
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives

/// What the main chain tells an application chain about one enclave: its registration in the main chain's
/// ``EnclaveRegistry`` as of the announcement (key, registrant, measurement, platform, expiry), or that it has none
/// live (``registration`` nil: revoked or expired there, so no longer trusted here either). It travels as the data of
/// a message from the registry's address to the same address on the child chain, where ``EnclaveRegistryMirror``
/// keeps it.
public struct EnclaveAnnouncement: Equatable, Sendable {
    public var enclave: Address
    public var role: EnclaveRole
    public var registration: EnclaveRegistration?

    public init(enclave: Address, role: EnclaveRole, registration: EnclaveRegistration?) {
        self.enclave = enclave; self.role = role; self.registration = registration
    }

    static let types: [ABIType] = [.address, .uint(bits: 8), .bool, .bytes, .address, .string, .fixedBytes(32), .fixedBytes(32), .fixedBytes(32),
                                   .string, .uint(bits: 64), .uint(bits: 64)]

    /// ABI: (enclave, role, live, key, registrant, format, measurement, signer, platformId, tcbStatus, registeredAt, expiresAt).
    public var encoded: [UInt8] {
        let r = registration
        let zero = ABIValue.fixedBytes(H256.zero.bytes)
        let values: [ABIValue] = [.address(enclave), .uint(UInt256(UInt64(role.rawValue))), .bool(r != nil), .bytes(r?.key ?? []),
                                  .address(r?.registrant ?? .zero), .string(r?.format.rawValue ?? ""),
                                  r.map { .fixedBytes($0.measurement.bytes) } ?? zero, r.map { .fixedBytes($0.signer.bytes) } ?? zero,
                                  r.map { .fixedBytes($0.platformID.bytes) } ?? zero, .string(r?.tcbStatus?.rawValue ?? ""),
                                  .uint(UInt256(r?.registeredAt ?? 0)), .uint(UInt256(r?.expiresAt ?? 0))]
        return (try? ABI.encode(values, types: Self.types)) ?? []
    }

    /// Reads an announcement; nil for anything that is not one (a 33-byte key, a known format and role).
    public init?(encoded: [UInt8]) {
        guard let v = try? ABI.decode(Self.types, from: encoded), let enclave = v[0].addressValue,
              let roleCode = v[1].uintValue?.uint64, let role = UInt8(exactly: roleCode).flatMap(EnclaveRole.init(rawValue:)) else { return nil }
        self.enclave = enclave
        self.role = role
        guard v[2] == .bool(true) else { registration = nil; return }
        guard let key = v[3].bytesValue, key.count == 33, let registrant = v[4].addressValue, case .string(let f) = v[5],
              let format = AttestationFormat(rawValue: f), let m = v[6].fixedBytesValue.flatMap({ try? H256($0) }),
              let s = v[7].fixedBytesValue.flatMap({ try? H256($0) }), let p = v[8].fixedBytesValue.flatMap({ try? H256($0) }),
              case .string(let status) = v[9], let at = v[10].uintValue?.uint64, let until = v[11].uintValue?.uint64 else { return nil }
        let tcb = TCBStatus(rawValue: status)
        guard status.isEmpty || tcb != nil else { return nil }
        registration = EnclaveRegistration(enclave: enclave, key: key, role: role, registrant: registrant, format: format, measurement: m,
                                           signer: s, platformID: p, tcbStatus: tcb, registeredAt: at, expiresAt: until)
    }
}
