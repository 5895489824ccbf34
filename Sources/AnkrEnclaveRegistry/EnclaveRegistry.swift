import AnkrChain
import AnkrCrypto
import AnkrDCAP
import AnkrEnclave
import AnkrPrimitives

/// The EnclaveRegistry system contract at `0x…a0006`: enclaves register their keys once with
/// attestation evidence, and miners' seals, WorkMarket results and oracle deliveries then carry only
/// statements signed by a registered key.
///
/// - `register(evidence, role)`: the evidence's user data must be ``registrationBinding(chainID:registrant:role:)``
///   for this chain, the caller and the role, so a quote cannot be replayed by another account, on
///   another chain or for another role. It is verified at the block's timestamp against the genesis
///   ``AttestationRules`` of the role and, for DCAP evidence, the collateral held here. The
///   registration lives ``AttestationRules/registrationPeriod`` seconds; registering again renews it.
/// - `postCollateral(json)`: anyone posts Intel's TCB info, QE identity and CRLs (the JSON layout of
///   ``Collateral``). They are self-authenticating: verified against the trusted DCAP root at the
///   block's timestamp, and kept per platform model (``CollateralKey``: TEE type and FMSPC) only when
///   no older than the one held for it (by the TCB info's issue date), so every validator verifies
///   registrations with the same inputs. A PCK certificate serial the posted PCK CRL lists is marked
///   revoked for good, and so are its registrations.
///
/// Consumers read registrations without gas through ``registration(of:role:state:time:)``.
///
/// Gas is charged before work: a DCAP verification costs about a millisecond of signature checks, so
/// the cheapest hostile input costs its sender, not the node. Evidence is at most 16 KiB, collateral
/// at most 64 KiB.
public struct EnclaveRegistry: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0006")
    public static let maxEvidenceBytes = AttestationEvidence.maxEncodedSize
    public static let maxCollateralBytes = 65_536
    /// Decoding evidence and checking a simulated platform's two secp256k1 signatures.
    public static let registrationGas: UInt64 = 10_000
    /// On top of ``registrationGas`` for DCAP evidence: parsing the collateral and verifying the quote
    /// (PCK chain, CRLs, QE report, quote signature, TCB info and QE identity: ~8 P-256 verifications).
    public static let quoteVerificationGas: UInt64 = 300_000
    /// Verifying posted collateral (its issuer chains, CRLs and document signatures).
    public static let collateralVerificationGas: UInt64 = 300_000

    public let rules: AttestationRules

    public var address: Address { Self.address }
    public var name: String { "EnclaveRegistry" }
    public var interface: ContractInterface { Self.interface }

    public init(rules: AttestationRules) { self.rules = rules }

    /// What a registration's evidence must carry as user data: keccak256("ankr-enclave-registration" ‖
    /// chainID (8 bytes, big-endian) ‖ registrant (20 bytes) ‖ role (1 byte)).
    public static func registrationBinding(chainID: UInt64, registrant: Address, role: EnclaveRole) -> [UInt8] {
        Keccak256.hash(Array("ankr-enclave-registration".utf8) + Array(UInt256(chainID).bigEndianBytes.suffix(8)) + registrant.bytes + [role.rawValue])
    }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        try Self.interface.dispatch(call, storage: SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)) { f, a, s, logs in
            switch f.name {
            case "register": return try register(a, call, &s, &logs)
            case "postCollateral": return try postCollateral(a, call, &s, &logs)
            case "registration":
                let role = try self.role(a[1], s)
                return try Self.registrationView(a[0].addressValue ?? .zero, role, time: call.block.timestamp, &s)
            case "registrationBinding":
                let role = try self.role(a[1], s)
                return [.fixedBytes(Self.registrationBinding(chainID: call.block.chainID, registrant: a[0].addressValue ?? .zero, role: role))]
            case "collateral":
                let key = CollateralKey(teeType: a[0] == .bool(true) ? .tdx : .sgx, fmspc: a[1].fixedBytesValue ?? []).word
                return [.bytes(try s.blob(Layout.collateral(key))), .uint(try s.word(Layout.collateralIssueDate(key)))]
            case "isRevoked": return [.bool(try Self.isRevoked(serialHash: Keccak256.h256(a[0].bytesValue ?? []), &s))]
            default: return [.uint(UInt256(rules.registrationPeriod))]
            }
        }
    }

    private func role(_ value: ABIValue, _ s: SystemStorage) throws -> EnclaveRole {
        guard let code = value.uintValue?.uint64, code <= UInt64(UInt8.max), let role = EnclaveRole(rawValue: UInt8(code)) else {
            throw revert("role must be 0 (miner) or 1 (oracle)", s)
        }
        return role
    }

    private func register(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let bytes = a[0].bytesValue ?? []
        let role = try self.role(a[1], s)
        guard bytes.count <= Self.maxEvidenceBytes else { throw revert("evidence is \(bytes.count) bytes; at most \(Self.maxEvidenceBytes)", s) }
        try s.charge(Self.registrationGas)
        let evidence: AttestationEvidence
        do { evidence = try AttestationEvidence(encoded: bytes) } catch { throw revert("malformed evidence: \(error)", s) }
        var collateral: Collateral?
        if evidence.format.isDCAP {
            try s.charge(Self.quoteVerificationGas)
            guard let key = CollateralKey(evidence: evidence) else { throw revert("malformed evidence: the quote names no platform", s) }
            collateral = try Self.heldCollateral(word: key.word, &s) ?? rules.genesisCollateral[key]
        }
        let claims: AttestationClaims
        do {
            claims = try PolicyAttestationVerifier(policy: rules.policy(for: role))
                .verify(evidence, now: call.block.timestamp,
                        expectedUserData: Self.registrationBinding(chainID: call.block.chainID, registrant: call.caller, role: role),
                        collateral: collateral)
        } catch AttestationError.unexpectedUserData {
            throw revert("the evidence is bound to another chain, registrant or role", s)
        } catch { throw revert("attestation: \(error)", s) }
        let serialHash = claims.pckSerial.isEmpty ? H256.zero : Keccak256.h256(claims.pckSerial)
        if serialHash != .zero, try Self.isRevoked(serialHash: serialHash, &s) {
            throw revert("the platform's PCK certificate is revoked", s)
        }
        let now = call.block.timestamp
        // A live registration is renewed only by its registrant: evidence anyone can obtain from the enclave
        // socket must not move an honest operator's enclave (and its oracle fees) to another account.
        if let live = try Self.liveRegistration(claims.enclaveKey.address, role, time: now, &s), live.registrant != call.caller {
            throw revert("the enclave is registered by \(live.registrant.checksummed) until \(live.expiresAt); only it may renew", s)
        }
        let (end, overflow) = now.addingReportingOverflow(rules.registrationPeriod)
        let registration = EnclaveRegistration(enclave: claims.enclaveKey.address, key: claims.enclaveKey.compressed, role: role,
                                               registrant: call.caller, format: evidence.format, measurement: claims.measurement,
                                               signer: claims.signer, platformID: claims.platformID, tcbStatus: claims.tcbStatus,
                                               registeredAt: now, expiresAt: overflow ? .max : end)
        try Self.store(registration, pckSerialHash: serialHash, &s)
        logs.append(try Self.interface.log("EnclaveRegistered", address: address, indexed: [registration.enclave.word, call.caller.word],
                                           data: [.uint(UInt256(UInt64(role.rawValue))), .string(evidence.format.rawValue),
                                                  .fixedBytes(claims.measurement.bytes), .fixedBytes(claims.platformID.bytes),
                                                  .uint(UInt256(registration.expiresAt))]))
        return [.address(registration.enclave)]
    }

    private func postCollateral(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let json = a[0].bytesValue ?? []
        guard json.count <= Self.maxCollateralBytes else {
            throw revert("collateral is \(json.count) bytes; at most \(Self.maxCollateralBytes)", s)
        }
        try s.charge(Self.collateralVerificationGas)
        let collateral: Collateral, verified: VerifiedCollateral
        do {
            collateral = try Collateral(json: json)
            verified = try QuoteVerifier(trustedRootPublicKey: rules.dcapRoot).verify(collateral: collateral, time: call.block.timestamp)
        } catch { throw revert("collateral: \(error)", s) }
        // Newest wins per platform model; the same date again is taken, since CRLs are reissued more often than TCB info.
        let key = CollateralKey(verified).word
        let held = try s.word(Layout.collateralIssueDate(key))
        guard UInt256(verified.tcbInfoIssueDate) >= held else {
            throw revert("the TCB info was issued at \(verified.tcbInfoIssueDate), before the held one (\(held))", s)
        }
        try s.setBlob(Layout.collateral(key), collateral.json)
        try s.setWord(Layout.collateralIssueDate(key), UInt256(verified.tcbInfoIssueDate))
        try s.setWord(Layout.latestCollateral, key)
        for serial in verified.revokedPCKSerials {
            let hash = Keccak256.h256(serial)
            guard !(try Self.isRevoked(serialHash: hash, &s)) else { continue }
            try s.setWord(Layout.revoked(hash), .one)
            logs.append(try Self.interface.log("Revoked", address: address, indexed: [UInt256(bigEndian: hash.bytes) ?? .zero], data: [.bytes(serial)]))
        }
        logs.append(try Self.interface.log("CollateralPosted", address: address, indexed: [call.caller.word],
                                           data: [.string(verified.teeType.rawValue), .fixedBytes(verified.fmspc),
                                                  .uint(UInt256(verified.tcbInfoIssueDate))]))
        return []
    }

    private func revert(_ why: String, _ s: SystemStorage) -> SystemCallError { .reverted(why, gasUsed: s.gasUsed) }
}
