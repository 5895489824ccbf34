import AnkrChain
import AnkrDCAP
import AnkrEnclave
import AnkrPrimitives

extension EnclaveRegistry {
    /// Storage: keccak(1, enclave, role) + k the registration (0 registrant, 1 format code, 2
    /// measurement, 3 signer, 4 platform id, 5 TCB status code, 6 registered at, 7 expires at, 8
    /// keccak of the PCK serial); keccak(2, enclave, role) its key (blob); keccak(3, collateral key)
    /// the collateral JSON (blob) of a platform model, keccak(4, collateral key) its TCB info issue
    /// date; keccak(5, keccak(serial)) a revoked PCK serial; 6 the collateral key posted last.
    enum Layout {
        static func registration(_ enclave: Address, _ role: EnclaveRole, _ k: Int) -> UInt256 {
            SystemStorage.slot(.one, enclave.word, UInt256(UInt64(role.rawValue))) &+ UInt256(k)
        }
        static func key(_ enclave: Address, _ role: EnclaveRole) -> UInt256 {
            SystemStorage.slot(UInt256(2), enclave.word, UInt256(UInt64(role.rawValue)))
        }
        static func collateral(_ key: UInt256) -> UInt256 { SystemStorage.slot(UInt256(3), key) }
        static func collateralIssueDate(_ key: UInt256) -> UInt256 { SystemStorage.slot(UInt256(4), key) }
        static func revoked(_ serialHash: H256) -> UInt256 { SystemStorage.slot(UInt256(5), UInt256(bigEndian: serialHash.bytes) ?? .zero) }
        static let latestCollateral = UInt256(6)
    }

    /// Stored codes of the evidence formats (0: no registration).
    static let formatCodes: [AttestationFormat: UInt64] = [.simulated: 1, .sgxDCAP: 2, .tdxDCAP: 3]
    /// Stored codes of the TCB statuses (0: none, simulated evidence).
    static let statusCodes: [TCBStatus: UInt64] = [.upToDate: 1, .swHardeningNeeded: 2, .configurationNeeded: 3,
                                                   .configurationAndSWHardeningNeeded: 4, .outOfDate: 5,
                                                   .outOfDateConfigurationNeeded: 6, .revoked: 7]

    /// The live registration of `enclave` for `role` at `time`: nil when there is none, it has
    /// expired, its PCK certificate has been revoked, or it is for another role. Pure and free: what
    /// the WorkMarket, the NOS and seal validation read.
    public static func registration(of enclave: Address, role: EnclaveRole, state: WorldState, time: UInt64) -> EnclaveRegistration? {
        try? liveRegistration(of: enclave, role: role, state: state, time: time)
    }

    /// ``registration(of:role:state:time:)`` for callers that must tell "none live" from a storage error (a main-chain
    /// announcement to application chains: an error there must fail the call, never announce the enclave gone).
    public static func liveRegistration(of enclave: Address, role: EnclaveRole, state: WorldState, time: UInt64) throws -> EnclaveRegistration? {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return try liveRegistration(enclave, role, time: time, &s)
    }

    /// The collateral posted last (nil before any was posted), whatever platform model it is for.
    public static func collateral(state: WorldState) -> Collateral? {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        guard let latest = try? s.word(Layout.latestCollateral), !latest.isZero else { return nil }
        return try? heldCollateral(word: latest, &s)
    }

    /// The collateral held for `key`'s platform model (nil when none was posted).
    public static func collateral(for key: CollateralKey, state: WorldState) -> Collateral? {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return try? heldCollateral(word: key.word, &s)
    }

    /// The collateral to verify DCAP `evidence` with: the one held for the platform model its quote
    /// names or, while none has been posted for it, the one `genesis` carries (nil for simulated
    /// evidence, an unreadable quote, or a model without collateral).
    public static func collateral(for evidence: AttestationEvidence, state: WorldState,
                                  genesis: [CollateralKey: Collateral] = [:]) -> Collateral? {
        guard let key = CollateralKey(evidence: evidence) else { return nil }
        return collateral(for: key, state: state) ?? genesis[key]
    }

    /// The collateral stored under `word`; storage errors (out of gas) propagate. What is stored was
    /// written as `Collateral.json` after it parsed, so it parses again.
    static func heldCollateral(word: UInt256, _ s: inout SystemStorage) throws -> Collateral? {
        let json = try s.blob(Layout.collateral(word))
        guard !json.isEmpty else { return nil }
        return try? Collateral(json: json)
    }

    /// Whether a posted PCK CRL revoked the certificate with serial `pckSerial` (empty: simulated, never revoked).
    public static func isRevoked(pckSerial: [UInt8], state: WorldState) -> Bool {
        guard !pckSerial.isEmpty else { return false }
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return (try? isRevoked(serialHash: Keccak256.h256(pckSerial), &s)) ?? false
    }

    static func isRevoked(serialHash: H256, _ s: inout SystemStorage) throws -> Bool {
        !(try s.word(Layout.revoked(serialHash))).isZero
    }

    static func store(_ r: EnclaveRegistration, pckSerialHash: H256, _ s: inout SystemStorage) throws {
        let slot = { Layout.registration(r.enclave, r.role, $0) }
        try s.setAddress(slot(0), r.registrant)
        try s.setWord(slot(1), UInt256(formatCodes[r.format] ?? 0))
        try s.setHash(slot(2), r.measurement)
        try s.setHash(slot(3), r.signer)
        try s.setHash(slot(4), r.platformID)
        try s.setWord(slot(5), UInt256(r.tcbStatus.flatMap { statusCodes[$0] } ?? 0))
        try s.setWord(slot(6), UInt256(r.registeredAt))
        try s.setWord(slot(7), UInt256(r.expiresAt))
        try s.setHash(slot(8), pckSerialHash)
        try s.setBlob(Layout.key(r.enclave, r.role), r.key)
    }

    /// Stores `r` in storage `s` laid out as the registry's (no PCK serial: the registry that verified it checks revocation
    /// and announces it): how a chain without attestation verification of its own — an application chain — keeps the
    /// registrations the main chain announced to it, so ``registration(of:role:state:time:)`` and the NOS read them there
    /// as here.
    public static func storeAnnounced(_ r: EnclaveRegistration, _ s: inout SystemStorage) throws {
        try store(r, pckSerialHash: .zero, &s)
    }

    /// The stored registration, live or not (nil when there is none).
    static func storedRegistration(_ enclave: Address, _ role: EnclaveRole, _ s: inout SystemStorage) throws -> EnclaveRegistration? {
        let slot = { Layout.registration(enclave, role, $0) }
        let formatCode = try s.word(slot(1)).uint64 ?? 0
        guard let format = formatCodes.first(where: { $0.value == formatCode })?.key else { return nil }
        let statusCode = try s.word(slot(5)).uint64 ?? 0
        return EnclaveRegistration(enclave: enclave, key: try s.blob(Layout.key(enclave, role)), role: role, registrant: try s.address(slot(0)),
                                   format: format, measurement: try s.hash(slot(2)), signer: try s.hash(slot(3)), platformID: try s.hash(slot(4)),
                                   tcbStatus: statusCodes.first(where: { $0.value == statusCode })?.key,
                                   registeredAt: try s.word(slot(6)).uint64 ?? 0, expiresAt: try s.word(slot(7)).uint64 ?? 0)
    }

    static func liveRegistration(_ enclave: Address, _ role: EnclaveRole, time: UInt64, _ s: inout SystemStorage) throws -> EnclaveRegistration? {
        guard let r = try storedRegistration(enclave, role, &s), time < r.expiresAt else { return nil }
        let serialHash = try s.hash(Layout.registration(enclave, role, 8))
        if serialHash != .zero, try isRevoked(serialHash: serialHash, &s) { return nil }
        return r
    }

    /// The `registration` view: the stored registration (zeros when none) and whether it is live at `time`.
    public static func registrationView(_ enclave: Address, _ role: EnclaveRole, time: UInt64, _ s: inout SystemStorage) throws -> [ABIValue] {
        let zero = ABIValue.fixedBytes(H256.zero.bytes)
        guard let r = try storedRegistration(enclave, role, &s) else {
            return [.address(.zero), .uint(.zero), .uint(.zero), .bool(false), .bytes([]), .string(""), zero, zero, zero, .string("")]
        }
        let live = try liveRegistration(enclave, role, time: time, &s) != nil
        return [.address(r.registrant), .uint(UInt256(r.registeredAt)), .uint(UInt256(r.expiresAt)), .bool(live), .bytes(r.key),
                .string(r.format.rawValue), .fixedBytes(r.measurement.bytes), .fixedBytes(r.signer.bytes), .fixedBytes(r.platformID.bytes),
                .string(r.tcbStatus?.rawValue ?? "")]
    }
}
