import AnkrChain
import AnkrCrypto
import AnkrPrimitives

/// The Identity system contract at `0x…a0004`: one identity per address, claims about it by issuers,
/// permissioned claim payloads sealed to the readers the subject grants, and a credit score.
///
/// - `register(metadataHash)`: the caller's identity (once). `setEncryptionKey(publicKey)`: the
///   65-byte uncompressed key of the caller's own account (checked against the address), which
///   issuers seal payloads to.
/// - `approveIssuer(issuer)` / `revokeIssuer`: the subject decides who may make claims about it (a
///   landlord, a lender, a lease contract), so nobody can spam an identity or file claims against a
///   stranger. Revoking stops new claims; the ones made stay.
/// - `attest(subject, claimType, claimHash, expiry)` by an issuer the subject approved (or the
///   subject itself); `attestSealed` also stores the payload sealed (ECIES) to each reader.
///   At most ``maxClaimsPerSubject`` claims per subject, so every view over them stays affordable.
///   `claimHash` commits to the payload (``SealedClaim`` hashes salt ‖ payload so guessing does not
///   reveal it). Only the issuer can `revoke`; a subject cannot delete a late payment.
/// - `grant(viewer, claimType)` / `revokeGrant`: who may read the subject's claims of a type.
///   Sealed copies go only to the subject, the issuer and current grantees; revoking a grant deletes
///   the viewer's copies. `sealPayload` (issuer or subject) seals a copy for a newly granted viewer.
/// - `claims(subject)` lists the claims the caller may see, each with the copy sealed to the caller.
///   Contract storage is public, so confidentiality rests on the encryption, not on this filter.
/// - `trustIssuer(issuer)` / `distrustIssuer`: the caller, as a relying party (a lender, a bank, a
///   lending contract), says whose claims it believes.
/// - `creditScore(subject, relyingParty)`: the subject's score as `relyingParty` sees it — from
///   unrevoked, unexpired payment claims (types 1 on time, 2 late) by issuers `relyingParty` trusts,
///   never the subject's own: 0 without such history, else 300 + ⌊550 · onTime / (onTime + late)⌋.
///
/// What a score counts: only what the subject cannot manufacture alone. Approving an issuer costs the
/// subject nothing and addresses are free, so any rule that counts claims by a kind of issuer the
/// subject can create is beaten by sock puppets — a lease contract included: a `RentalAgreement` whose
/// "landlord" is the tenant's second address, on a payments chain the tenant runs, proves payments the
/// tenant makes to itself. What the subject cannot create is someone else's trust. So a score is
/// always a relying party's view, counting claims only by the issuers that party trusts (as a lender
/// chooses which bureaus and landlords it believes); the subject's view of itself is no score (0), and
/// N fresh addresses approved as issuers leave every other party's view of it unchanged.
public struct IdentityContract: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0004")
    /// Claim types the credit score reads.
    public static let paymentOnTime = UInt256(1)
    public static let paymentLate = UInt256(2)
    public static let maxPayloadBytes = 4_096
    public static let maxReadersPerAttestation = 16
    /// Grantees per subject and claim type, so an issuer sealing to all of them stays within a block.
    public static let maxGrantees = 32
    /// Claims per subject: `claims` and `creditScore` read them all (about 12,000 gas each).
    public static let maxClaimsPerSubject = 1_000

    public var address: Address { Self.address }
    public var name: String { "Identity" }
    public var interface: ContractInterface { Self.interface }

    public init() {}

    // Storage: 0 claim count; keccak(1, owner) + k identity (0 registered, 1 metadata hash, 2 claim
    // count); keccak(2, owner) encryption key (blob); keccak(3, id) + k claim (0 subject, 1 issuer,
    // 2 type, 3 hash, 4 expiry, 5 revoked, 6 issued at); keccak(4, subject) + i the subject's claim
    // ids; keccak(5, subject, viewer, type) grant flag; keccak(6, subject, type) grantee count, + 1 + i
    // the grantees; keccak(7, subject, type, viewer) index + 1 in that list; keccak(8, id, reader) the
    // sealed copy (blob); keccak(9, subject, issuer) the issuer's approval; keccak(10, party, issuer) a
    // relying party's trust in an issuer.
    private func identitySlot(_ owner: Address, _ k: Int) -> UInt256 { SystemStorage.slot(.one, owner.word) &+ UInt256(k) }
    private func claimSlot(_ id: UInt256, _ k: Int) -> UInt256 { SystemStorage.slot(UInt256(3), id) &+ UInt256(k) }
    private func subjectClaimSlot(_ subject: Address, _ i: UInt256) -> UInt256 { SystemStorage.slot(UInt256(4), subject.word) &+ i }
    private func grantSlot(_ subject: Address, _ viewer: Address, _ type: UInt256) -> UInt256 {
        SystemStorage.slot(UInt256(5), subject.word, viewer.word, type)
    }
    private func granteesSlot(_ subject: Address, _ type: UInt256) -> UInt256 { SystemStorage.slot(UInt256(6), subject.word, type) }
    private func granteeIndexSlot(_ subject: Address, _ type: UInt256, _ viewer: Address) -> UInt256 {
        SystemStorage.slot(UInt256(7), subject.word, type, viewer.word)
    }
    private func sealedSlot(_ id: UInt256, _ reader: Address) -> UInt256 { SystemStorage.slot(UInt256(8), id, reader.word) }
    private func approvalSlot(_ subject: Address, _ issuer: Address) -> UInt256 { SystemStorage.slot(UInt256(9), subject.word, issuer.word) }
    private func trustSlot(_ party: Address, _ issuer: Address) -> UInt256 { SystemStorage.slot(UInt256(10), party.word, issuer.word) }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        try Self.interface.dispatch(call, storage: SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)) { f, a, s, logs in
            switch f.name {
            case "register": return try register(a, call, &s, &logs)
            case "setEncryptionKey": return try setEncryptionKey(a, call, &s, &logs)
            case "attest": return try attest(a, readers: [], payloads: [], call, &s, &logs)
            case "attestSealed":
                let readers = a[4].arrayValue?.compactMap(\.addressValue) ?? [], payloads = a[5].arrayValue?.compactMap(\.bytesValue) ?? []
                return try attest(a, readers: readers, payloads: payloads, call, &s, &logs)
            case "sealPayload": return try sealPayload(a, call, &s, &logs)
            case "approveIssuer", "revokeIssuer": return try setApproval(a[0].addressValue ?? .zero, f.name == "approveIssuer", call, &s, &logs)
            case "isApprovedIssuer": return [.bool(!(try s.word(approvalSlot(a[0].addressValue ?? .zero, a[1].addressValue ?? .zero))).isZero)]
            case "trustIssuer", "distrustIssuer": return try setTrust(a[0].addressValue ?? .zero, f.name == "trustIssuer", call, &s, &logs)
            case "isTrustedIssuer": return [.bool(!(try s.word(trustSlot(a[0].addressValue ?? .zero, a[1].addressValue ?? .zero))).isZero)]
            case "revoke": return try revoke(a, call, &s, &logs)
            case "grant": return try grant(a, call, &s, &logs)
            case "revokeGrant": return try revokeGrant(a, call, &s, &logs)
            case "identity":
                let owner = a[0].addressValue ?? .zero
                return [.bool(!(try s.word(identitySlot(owner, 0))).isZero), .fixedBytes(try s.hash(identitySlot(owner, 1)).bytes),
                        .bytes(try s.blob(SystemStorage.slot(UInt256(2), owner.word))), .uint(try s.word(identitySlot(owner, 2)))]
            case "claims": return try visibleClaims(of: a[0].addressValue ?? .zero, to: call.caller, &s)
            case "canView":
                return [.bool(try canView(a[0].addressValue ?? .zero, a[1].addressValue ?? .zero, a[2].uintValue ?? .zero, &s))]
            case "grantees": return [.array(try grantees(a[0].addressValue ?? .zero, a[1].uintValue ?? .zero, &s).map(ABIValue.address))]
            case "creditScore":
                let score = try creditScore(a[0].addressValue ?? .zero, seenBy: a[1].addressValue ?? .zero, now: call.block.timestamp, &s)
                return [.uint(UInt256(score.score)), .uint(UInt256(score.onTime)), .uint(UInt256(score.late))]
            default: return [.uint(try s.word(.zero))]
            }
        }
    }

    private func register(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        guard try s.word(identitySlot(call.caller, 0)).isZero else { throw revert("\(call.caller.checksummed) already has an identity", s) }
        let metadata = a[0].fixedBytesValue ?? []
        try s.setWord(identitySlot(call.caller, 0), .one)
        try s.setWord(identitySlot(call.caller, 1), UInt256(bigEndian: metadata) ?? .zero)
        logs.append(try Self.interface.log("Registered", address: address, indexed: [call.caller.word], data: [.fixedBytes(metadata)]))
        return []
    }

    private func setEncryptionKey(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let key = a[0].bytesValue ?? []
        try s.charge(100)  // hashing the key into an address
        guard key.count == 65, key[0] == 0x04, (try? Address(publicKey64: Array(key.dropFirst()))) == call.caller else {
            throw revert("the key must be the caller's own 65-byte uncompressed public key", s)
        }
        try s.setBlob(SystemStorage.slot(UInt256(2), call.caller.word), key)
        logs.append(try Self.interface.log("EncryptionKeySet", address: address, indexed: [call.caller.word], data: [.bytes(key)]))
        return []
    }

    private func attest(_ a: [ABIValue], readers: [Address], payloads: [[UInt8]], _ call: SystemCall, _ s: inout SystemStorage,
                        _ logs: inout [Log]) throws -> [ABIValue] {
        let subject = a[0].addressValue ?? .zero, type = a[1].uintValue ?? .zero, hash = a[2].fixedBytesValue ?? []
        let expiry = a[3].uintValue?.uint64 ?? 0
        guard !(try s.word(identitySlot(subject, 0))).isZero else { throw revert("\(subject.checksummed) has no identity", s) }
        let approved = !(try s.word(approvalSlot(subject, call.caller))).isZero
        guard call.caller == subject || approved else {
            throw revert("\(subject.checksummed) has not approved \(call.caller.checksummed) as an issuer", s)
        }
        guard expiry == 0 || expiry > call.block.timestamp else { throw revert("the claim expires before it is made", s) }
        guard readers.count == payloads.count, readers.count <= Self.maxReadersPerAttestation else {
            throw revert("give one payload per reader, at most \(Self.maxReadersPerAttestation)", s)
        }
        let id = (try s.word(.zero)) &+ .one
        try s.setWord(.zero, id)
        try s.setAddress(claimSlot(id, 0), subject)
        try s.setAddress(claimSlot(id, 1), call.caller)
        try s.setWord(claimSlot(id, 2), type)
        try s.setWord(claimSlot(id, 3), UInt256(bigEndian: hash) ?? .zero)
        try s.setWord(claimSlot(id, 4), UInt256(expiry))
        try s.setWord(claimSlot(id, 6), UInt256(call.block.timestamp))
        let count = try s.word(identitySlot(subject, 2))
        guard count < UInt256(Self.maxClaimsPerSubject) else { throw revert("\(subject.checksummed) holds the most claims an identity may (\(Self.maxClaimsPerSubject))", s) }
        try s.setWord(subjectClaimSlot(subject, count), id)
        try s.setWord(identitySlot(subject, 2), count &+ .one)
        logs.append(try Self.interface.log("Attested", address: address, indexed: [id, subject.word, call.caller.word],
                                           data: [.uint(type), .fixedBytes(hash), .uint(UInt256(expiry))]))
        for (reader, payload) in zip(readers, payloads) {
            try seal(id, subject: subject, issuer: call.caller, type: type, reader: reader, payload: payload, &s, &logs)
        }
        return [.uint(id)]
    }

    private func setApproval(_ issuer: Address, _ approve: Bool, _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        guard !(try s.word(identitySlot(call.caller, 0))).isZero else { throw revert("register an identity before approving issuers", s) }
        guard issuer != .zero, issuer != call.caller else { throw revert("approve another, non-zero address", s) }
        try s.setWord(approvalSlot(call.caller, issuer), approve ? .one : .zero)
        logs.append(try Self.interface.log("IssuerApproved", address: address, indexed: [call.caller.word, issuer.word], data: [.bool(approve)]))
        return []
    }

    private func setTrust(_ issuer: Address, _ trust: Bool, _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        guard issuer != .zero else { throw revert("trust a non-zero issuer address", s) }
        try s.setWord(trustSlot(call.caller, issuer), trust ? .one : .zero)
        logs.append(try Self.interface.log("IssuerTrusted", address: address, indexed: [call.caller.word, issuer.word], data: [.bool(trust)]))
        return []
    }

    private func sealPayload(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let id = a[0].uintValue ?? .zero
        let subject = try s.address(claimSlot(id, 0)), issuer = try s.address(claimSlot(id, 1))
        guard subject != .zero else { throw revert("no claim \(id)", s) }
        guard call.caller == subject || call.caller == issuer else { throw revert("only the claim's subject or issuer seals its payload", s) }
        try seal(id, subject: subject, issuer: issuer, type: try s.word(claimSlot(id, 2)), reader: a[1].addressValue ?? .zero,
                 payload: a[2].bytesValue ?? [], &s, &logs)
        return []
    }

    private func seal(_ id: UInt256, subject: Address, issuer: Address, type: UInt256, reader: Address, payload: [UInt8],
                      _ s: inout SystemStorage, _ logs: inout [Log]) throws {
        guard payload.count >= ECIES.overhead, payload.count <= Self.maxPayloadBytes else {
            throw revert("a sealed payload is \(ECIES.overhead)…\(Self.maxPayloadBytes) bytes", s)
        }
        let granted = !(try s.word(grantSlot(subject, reader, type))).isZero
        guard reader == subject || reader == issuer || granted else {
            throw revert("\(reader.checksummed) may not read claims of type \(type) about \(subject.checksummed)", s)
        }
        try s.setBlob(sealedSlot(id, reader), payload)
        logs.append(try Self.interface.log("PayloadSealed", address: address, indexed: [id, reader.word], data: []))
    }

    private func revoke(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let id = a[0].uintValue ?? .zero
        guard try s.address(claimSlot(id, 0)) != .zero else { throw revert("no claim \(id)", s) }
        guard try s.address(claimSlot(id, 1)) == call.caller else { throw revert("only the issuer revokes claim \(id)", s) }
        guard try s.word(claimSlot(id, 5)).isZero else { throw revert("claim \(id) is already revoked", s) }
        try s.setWord(claimSlot(id, 5), .one)
        logs.append(try Self.interface.log("Revoked", address: address, indexed: [id, call.caller.word], data: []))
        return []
    }

    private func grant(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let viewer = a[0].addressValue ?? .zero, type = a[1].uintValue ?? .zero, subject = call.caller
        guard !(try s.word(identitySlot(subject, 0))).isZero else { throw revert("register an identity before granting", s) }
        guard viewer != .zero, viewer != subject else { throw revert("grant to another, non-zero address", s) }
        guard try s.word(grantSlot(subject, viewer, type)).isZero else { throw revert("\(viewer.checksummed) already holds this grant", s) }
        let count = try s.word(granteesSlot(subject, type))
        guard count < UInt256(Self.maxGrantees) else { throw revert("at most \(Self.maxGrantees) viewers per claim type", s) }
        try s.setWord(granteesSlot(subject, type) &+ .one &+ count, viewer.word)
        try s.setWord(granteesSlot(subject, type), count &+ .one)
        try s.setWord(granteeIndexSlot(subject, type, viewer), count &+ .one)
        try s.setWord(grantSlot(subject, viewer, type), .one)
        logs.append(try Self.interface.log("Granted", address: address, indexed: [subject.word, viewer.word], data: [.uint(type)]))
        return []
    }

    private func revokeGrant(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let viewer = a[0].addressValue ?? .zero, type = a[1].uintValue ?? .zero, subject = call.caller
        let index = try s.word(granteeIndexSlot(subject, type, viewer))
        guard !index.isZero else { throw revert("\(viewer.checksummed) holds no grant for claim type \(type)", s) }
        // Swap-remove from the grantee list.
        let base = granteesSlot(subject, type), last = try s.word(base)
        if index != last {
            let moved = try s.address(base &+ last)
            try s.setAddress(base &+ index, moved)
            try s.setWord(granteeIndexSlot(subject, type, moved), index)
        }
        try s.setWord(base &+ last, .zero)
        try s.setWord(base, last &- .one)
        try s.setWord(granteeIndexSlot(subject, type, viewer), .zero)
        try s.setWord(grantSlot(subject, viewer, type), .zero)
        // The viewer's sealed copies go too (what it already read, it keeps: chain history is public).
        try forEachClaim(of: subject, &s) { id, s in
            if try s.word(claimSlot(id, 2)) == type, try s.address(claimSlot(id, 1)) != viewer, !(try s.word(sealedSlot(id, viewer))).isZero {
                try s.setBlob(sealedSlot(id, viewer), [])
            }
        }
        logs.append(try Self.interface.log("GrantRevoked", address: address, indexed: [subject.word, viewer.word], data: [.uint(type)]))
        return []
    }

    private func canView(_ subject: Address, _ viewer: Address, _ type: UInt256, _ s: inout SystemStorage) throws -> Bool {
        if viewer == subject { return true }
        return !(try s.word(grantSlot(subject, viewer, type))).isZero
    }

    private func grantees(_ subject: Address, _ type: UInt256, _ s: inout SystemStorage) throws -> [Address] {
        let base = granteesSlot(subject, type)
        let count = min(try s.word(base).uint64 ?? 0, UInt64(Self.maxGrantees))
        return try (0..<count).map { try s.address(base &+ .one &+ UInt256($0)) }
    }

    private func visibleClaims(of subject: Address, to caller: Address, _ s: inout SystemStorage) throws -> [ABIValue] {
        var ids = [ABIValue](), issuers = [ABIValue](), types = [ABIValue](), hashes = [ABIValue](), expiries = [ABIValue]()
        var revoked = [ABIValue](), sealed = [ABIValue]()
        try forEachClaim(of: subject, &s) { id, s in
            let issuer = try s.address(claimSlot(id, 1)), type = try s.word(claimSlot(id, 2))
            let allowed = try canView(subject, caller, type, &s)
            guard caller == issuer || allowed else { return }
            ids.append(.uint(id)); issuers.append(.address(issuer)); types.append(.uint(type))
            hashes.append(.fixedBytes(try s.hash(claimSlot(id, 3)).bytes)); expiries.append(.uint(try s.word(claimSlot(id, 4))))
            revoked.append(.bool(!(try s.word(claimSlot(id, 5))).isZero)); sealed.append(.bytes(try s.blob(sealedSlot(id, caller))))
        }
        return [.array(ids), .array(issuers), .array(types), .array(hashes), .array(expiries), .array(revoked), .array(sealed)]
    }

    /// The score and the payment claims it counted.
    public struct CreditScore: Sendable, Equatable {
        public var score: UInt64
        public var onTime: UInt64
        public var late: UInt64

        /// 0 without payment history, else 300 + ⌊550 · onTime / (onTime + late)⌋ (300…850).
        public init(onTime: UInt64, late: UInt64) {
            self.onTime = onTime; self.late = late
            // The product is taken at full width (the quotient is at most 550); halving both counts
            // keeps the ratio where their sum would not fit.
            let fits = onTime.addingReportingOverflow(late).overflow == false
            let (o, l) = fits ? (onTime, late) : (onTime / 2, late / 2)
            let total = o + l
            score = total == 0 ? 0 : 300 + total.dividingFullWidth(o.multipliedFullWidth(by: 550)).quotient
        }
    }

    /// The score counting only claims by issuers `party` trusts; a subject's view of itself is empty.
    private func creditScore(_ subject: Address, seenBy party: Address, now: UInt64, _ s: inout SystemStorage) throws -> CreditScore {
        var onTime: UInt64 = 0, late: UInt64 = 0
        guard party != subject else { return CreditScore(onTime: 0, late: 0) }
        try forEachClaim(of: subject, &s) { id, s in
            let type = try s.word(claimSlot(id, 2)), issuer = try s.address(claimSlot(id, 1))
            guard type == Self.paymentOnTime || type == Self.paymentLate, issuer != subject, try s.word(claimSlot(id, 5)).isZero,
                  !(try s.word(trustSlot(party, issuer))).isZero else { return }
            let expiry = try s.word(claimSlot(id, 4)).uint64 ?? 0
            guard expiry == 0 || expiry > now else { return }
            if type == Self.paymentOnTime { onTime += 1 } else { late += 1 }
        }
        return CreditScore(onTime: onTime, late: late)
    }

    private func forEachClaim(of subject: Address, _ s: inout SystemStorage, _ body: (UInt256, inout SystemStorage) throws -> Void) throws {
        let count = try s.word(identitySlot(subject, 2)).uint64 ?? 0
        for i in 0..<count { try body(try s.word(subjectClaimSlot(subject, UInt256(i))), &s) }
    }

    private func revert(_ why: String, _ s: SystemStorage) -> SystemCallError { .reverted(why, gasUsed: s.gasUsed) }
}
