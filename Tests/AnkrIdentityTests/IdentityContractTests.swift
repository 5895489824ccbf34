import AnkrChain
import AnkrCrypto
import AnkrIdentity
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// The Identity contract on a world state: one identity per address, issuers' claims, payloads only
/// the granted can read, revocation rules, and the credit score's arithmetic.
final class IdentityContractTests: XCTestCase {
    let tenant = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let landlord = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let lender = try! PrivateKey(hex: "0x" + String(repeating: "c3", count: 32))
    let stranger = try! PrivateKey(hex: "0x" + String(repeating: "d4", count: 32))
    /// The relying party whose view of the tenant's score the tests read.
    let bank = try! PrivateKey(hex: "0x" + String(repeating: "e5", count: 32))
    let contract = IdentityContract()
    var state = WorldState()
    var now: UInt64 = 1_800_000_000

    override func setUp() { state = WorldState() }

    @discardableResult
    func send(_ from: PrivateKey, _ name: String, _ args: [ABIValue]) throws -> [ABIValue] {
        guard let f = IdentityContract.interface.functions.first(where: { $0.name == name }) else { throw XCTSkip("no \(name)") }
        let mark = state.snapshot()
        do {
            let block = BlockContext(chainID: 7331, coinbase: .zero, number: 9, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
            let out = try contract.call(SystemCall(address: IdentityContract.address, caller: from.address, value: .zero,
                                                   input: ABI.encodeCall(f.signature, args), gasAvailable: 20_000_000, block: block), state: state)
            return try ABI.decode(f.outputTypes, from: out.output)
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    func registerAll() throws {
        for k in [tenant, landlord, lender] {
            try send(k, "register", [.fixedBytes(Keccak256.hash(k.address.bytes))])
            try send(k, "setEncryptionKey", [.bytes(k.publicKey.uncompressed)])
        }
        for issuer in [landlord, lender] {
            try send(tenant, "approveIssuer", [.address(issuer.address)])
            try send(bank, "trustIssuer", [.address(issuer.address)])
        }
    }

    func attest(_ issuer: PrivateKey, _ type: UInt256, payload: String, readers: [PrivateKey], expiry: UInt64 = 0) throws -> (UInt256, SealedClaim) {
        let claim = SealedClaim(payload: Array(payload.utf8))
        let out = try send(issuer, "attestSealed", [.address(tenant.address), .uint(type), .fixedBytes(claim.claimHash.bytes), .uint(UInt256(expiry)),
                                                   .array(readers.map { .address($0.address) }),
                                                   .array(try readers.map { .bytes(try claim.sealed(to: $0.publicKey)) })])
        return (try XCTUnwrap(out[0].uintValue), claim)
    }

    /// The claims `viewer` sees about the tenant, with the payloads it can open.
    func visible(to viewer: PrivateKey) throws -> [(id: UInt256, payload: String?)] {
        let c = try send(viewer, "claims", [.address(tenant.address)]).map { $0.arrayValue ?? [] }
        return (0..<c[0].count).map { i in
            let hash = (try? H256(c[3][i].fixedBytesValue ?? [])) ?? .zero
            let opened = try? SealedClaim.open(c[6][i].bytesValue ?? [], with: viewer, claimHash: hash)
            return (c[0][i].uintValue ?? .zero, opened.map { String(decoding: $0.payload, as: UTF8.self) })
        }
    }

    func testOneIdentityPerAddressAndKeysMustBeTheCallersOwn() throws {
        try send(tenant, "register", [.fixedBytes([UInt8](repeating: 1, count: 32))])
        assertReverts("already has an identity") { try send(tenant, "register", [.fixedBytes([UInt8](repeating: 2, count: 32))]) }
        assertReverts("caller's own") { try send(tenant, "setEncryptionKey", [.bytes(landlord.publicKey.uncompressed)]) }
        assertReverts("caller's own") { try send(tenant, "setEncryptionKey", [.bytes(tenant.publicKey.compressed)]) }
        try send(tenant, "setEncryptionKey", [.bytes(tenant.publicKey.uncompressed)])
        let id = try send(stranger, "identity", [.address(tenant.address)])
        XCTAssertEqual(id[0], .bool(true))
        XCTAssertEqual(id[1], .fixedBytes([UInt8](repeating: 1, count: 32)))
        XCTAssertEqual(id[2], .bytes(tenant.publicKey.uncompressed))
        XCTAssertEqual(try send(stranger, "identity", [.address(stranger.address)])[0], .bool(false))
        assertReverts("has no identity") {
            try send(landlord, "attest", [.address(stranger.address), .uint(.one), .fixedBytes([UInt8](repeating: 0, count: 32)), .uint(.zero)])
        }
    }

    func testSealedPayloadsReachOnlyGrantedViewers() throws {
        try registerAll()
        let (first, _) = try attest(landlord, IdentityContract.paymentOnTime, payload: "rent 2026-01 paid 1200 on 01-01", readers: [tenant, landlord])
        // The lender holds no grant: a copy sealed to it is refused, and it sees nothing.
        assertReverts("may not read") { _ = try attest(landlord, IdentityContract.paymentOnTime, payload: "x", readers: [lender]) }
        XCTAssertTrue(try visible(to: lender).isEmpty)
        XCTAssertTrue(try visible(to: stranger).isEmpty)
        XCTAssertEqual(try visible(to: tenant).map(\.payload), ["rent 2026-01 paid 1200 on 01-01"])

        // The tenant grants the lender payment claims and re-seals the old one for it; new claims are sealed to it directly.
        try send(tenant, "grant", [.address(lender.address), .uint(IdentityContract.paymentOnTime)])
        XCTAssertEqual(try send(stranger, "grantees", [.address(tenant.address), .uint(IdentityContract.paymentOnTime)])[0],
                       .array([.address(lender.address)]))
        XCTAssertEqual(try visible(to: lender).map(\.payload), [nil], "granted, but nothing sealed to the lender yet")
        XCTAssertEqual(try visible(to: tenant).first?.id, first)
        let tenantCopy = try send(tenant, "claims", [.address(tenant.address)])[6].arrayValue?.first?.bytesValue ?? []
        let hash = try H256(try send(tenant, "claims", [.address(tenant.address)])[3].arrayValue?.first?.fixedBytesValue ?? [])
        let opened = try SealedClaim.open(tenantCopy, with: tenant, claimHash: hash)
        try send(tenant, "sealPayload", [.uint(first), .address(lender.address), .bytes(try opened.sealed(to: lender.publicKey))])
        _ = try attest(landlord, IdentityContract.paymentLate, payload: "rent 2026-02 paid 12 days late", readers: [tenant])
        XCTAssertEqual(try visible(to: lender).map(\.payload), ["rent 2026-01 paid 1200 on 01-01"], "late claims are another type, not granted")

        // A copy under the wrong key does not open; a tampered claim hash is caught.
        XCTAssertThrowsError(try SealedClaim.open(tenantCopy, with: lender, claimHash: hash)) { XCTAssertEqual($0 as? SealedClaim.OpenError, .notForThisKey) }
        XCTAssertThrowsError(try SealedClaim.open(tenantCopy, with: tenant, claimHash: Keccak256.h256([1]))) {
            XCTAssertEqual($0 as? SealedClaim.OpenError, .doesNotMatchClaim)
        }
        // Only the subject or the issuer seals; never to an ungranted reader.
        assertReverts("subject or issuer") { try send(stranger, "sealPayload", [.uint(first), .address(stranger.address), .bytes(tenantCopy)]) }
        assertReverts("may not read") { try send(tenant, "sealPayload", [.uint(first), .address(stranger.address), .bytes(tenantCopy)]) }

        // Revoking the grant hides the claims and deletes the lender's copy.
        try send(tenant, "revokeGrant", [.address(lender.address), .uint(IdentityContract.paymentOnTime)])
        XCTAssertTrue(try visible(to: lender).isEmpty)
        XCTAssertEqual(try send(stranger, "canView", [.address(tenant.address), .address(lender.address), .uint(IdentityContract.paymentOnTime)])[0], .bool(false))
        try send(tenant, "grant", [.address(lender.address), .uint(IdentityContract.paymentOnTime)])
        XCTAssertEqual(try visible(to: lender).map(\.payload), [nil], "the old copy was deleted with the grant")
        assertReverts("holds no grant") { try send(tenant, "revokeGrant", [.address(stranger.address), .uint(IdentityContract.paymentOnTime)]) }
        assertReverts("already holds") { try send(tenant, "grant", [.address(lender.address), .uint(IdentityContract.paymentOnTime)]) }
    }

    func testOnlyTheIssuerRevokesAndTheScoreCountsWhatStands() throws {
        try registerAll()
        XCTAssertEqual(try send(stranger, "creditScore", [.address(tenant.address), .address(bank.address)]), [.uint(.zero), .uint(.zero), .uint(.zero)], "no history, no score")
        var ids = [UInt256]()
        for _ in 0..<3 { ids.append(try attest(landlord, IdentityContract.paymentOnTime, payload: "on time", readers: [tenant]).0) }
        let late = try attest(landlord, IdentityContract.paymentLate, payload: "late", readers: [tenant]).0
        // 300 + ⌊550 · 3/4⌋ = 712 (712.5 floored).
        XCTAssertEqual(try send(stranger, "creditScore", [.address(tenant.address), .address(bank.address)]), [.uint(UInt256(712)), .uint(UInt256(3)), .uint(.one)])

        assertReverts("only the issuer") { try send(tenant, "revoke", [.uint(late)]) }
        // Self-attested payments do not count; expired ones stop counting; revoked ones are gone.
        let own = SealedClaim(payload: [1])
        try send(tenant, "attest", [.address(tenant.address), .uint(IdentityContract.paymentOnTime), .fixedBytes(own.claimHash.bytes), .uint(.zero)])
        _ = try attest(lender, IdentityContract.paymentOnTime, payload: "loan", readers: [], expiry: now + 10)
        XCTAssertEqual(try send(stranger, "creditScore", [.address(tenant.address), .address(bank.address)])[1], .uint(UInt256(4)))
        now += 11
        XCTAssertEqual(try send(stranger, "creditScore", [.address(tenant.address), .address(bank.address)])[1], .uint(UInt256(3)))
        try send(landlord, "revoke", [.uint(ids[0])])
        assertReverts("already revoked") { try send(landlord, "revoke", [.uint(ids[0])]) }
        // 2 on time, 1 late: 300 + ⌊1100/3⌋ = 666.
        XCTAssertEqual(try send(stranger, "creditScore", [.address(tenant.address), .address(bank.address)]), [.uint(UInt256(666)), .uint(UInt256(2)), .uint(.one)])
        assertReverts("expires before") {
            try send(landlord, "attest", [.address(tenant.address), .uint(.one), .fixedBytes(own.claimHash.bytes), .uint(UInt256(now))])
        }
    }

    func testOnlyApprovedIssuersMakeClaimsAndThereIsACap() throws {
        try registerAll()
        let claim = SealedClaim(payload: [9])
        let args: [ABIValue] = [.address(tenant.address), .uint(IdentityContract.paymentLate), .fixedBytes(claim.claimHash.bytes), .uint(.zero)]
        // A stranger cannot file a late payment against the tenant.
        assertReverts("has not approved") { try send(stranger, "attest", args) }
        try send(landlord, "attest", args)
        // Revoking the approval stops new claims; the one made stays, and only its issuer can revoke it.
        try send(tenant, "revokeIssuer", [.address(landlord.address)])
        XCTAssertEqual(try send(stranger, "isApprovedIssuer", [.address(tenant.address), .address(landlord.address)]), [.bool(false)])
        assertReverts("has not approved") { try send(landlord, "attest", args) }
        XCTAssertEqual(try send(stranger, "creditScore", [.address(tenant.address), .address(bank.address)]), [.uint(UInt256(300)), .uint(.zero), .uint(.one)])
        assertReverts("register an identity") { try send(stranger, "approveIssuer", [.address(landlord.address)]) }
        // However trusted, an issuer cannot grow an identity past the cap that keeps its views affordable.
        for _ in 1..<IdentityContract.maxClaimsPerSubject { try send(lender, "attest", args) }
        assertReverts("the most claims") { try send(lender, "attest", args) }
        let score = try send(stranger, "creditScore", [.address(tenant.address), .address(bank.address)])
        XCTAssertEqual(score[2], .uint(UInt256(UInt64(IdentityContract.maxClaimsPerSubject))))
    }

    func testSockPuppetIssuersTheSubjectApprovesDoNotRaiseItsScore() throws {
        try registerAll()
        func score(seenBy party: PrivateKey) throws -> [ABIValue] { try send(stranger, "creditScore", [.address(tenant.address), .address(party.address)]) }
        let claim = SealedClaim(payload: [7])
        func attest(_ issuer: PrivateKey, _ type: UInt256) throws {
            try send(issuer, "attest", [.address(tenant.address), .uint(type), .fixedBytes(claim.claimHash.bytes), .uint(.zero)])
        }
        try attest(landlord, IdentityContract.paymentOnTime)
        try attest(landlord, IdentityContract.paymentLate)
        let honest: [ABIValue] = [.uint(UInt256(575)), .uint(.one), .uint(.one)]  // 300 + ⌊550 · 1/2⌋
        XCTAssertEqual(try score(seenBy: bank), honest)

        // The tenant makes N fresh addresses, approves each as an issuer, has each attest on-time rent,
        // and even trusts them itself, and one puppet, posing as a relying party, trusts them all.
        let puppets = (0..<5).map { _ in PrivateKey.random() }
        for p in puppets {
            try send(tenant, "approveIssuer", [.address(p.address)])
            for _ in 0..<3 { try attest(p, IdentityContract.paymentOnTime) }
            try send(tenant, "trustIssuer", [.address(p.address)])
            try send(puppets[0], "trustIssuer", [.address(p.address)])
        }
        XCTAssertEqual(try score(seenBy: bank), honest, "the bank's view is what it was with no puppets")
        XCTAssertEqual(try score(seenBy: lender), [.uint(.zero), .uint(.zero), .uint(.zero)], "a party that trusts no issuer sees no history")
        XCTAssertEqual(try score(seenBy: tenant), [.uint(.zero), .uint(.zero), .uint(.zero)], "a subject's view of itself is no score")
        XCTAssertEqual(try score(seenBy: puppets[0])[1], .uint(UInt256(15)), "a puppet's view counts puppets, and fools only itself")
        XCTAssertEqual(try send(stranger, "isTrustedIssuer", [.address(bank.address), .address(puppets[1].address)]), [.bool(false)])
        XCTAssertEqual(try send(stranger, "isTrustedIssuer", [.address(bank.address), .address(landlord.address)]), [.bool(true)])

        // Trust is the relying party's own: withdrawn, the landlord's claims stop counting for it.
        try send(bank, "distrustIssuer", [.address(landlord.address)])
        XCTAssertEqual(try score(seenBy: bank), [.uint(.zero), .uint(.zero), .uint(.zero)])
        assertReverts("non-zero issuer") { try send(bank, "trustIssuer", [.address(.zero)]) }
    }

    func testScoreArithmeticNeverLeavesItsRange() {
        XCTAssertEqual(IdentityContract.CreditScore(onTime: 0, late: 0).score, 0)
        XCTAssertEqual(IdentityContract.CreditScore(onTime: 10, late: 0).score, 850)
        XCTAssertEqual(IdentityContract.CreditScore(onTime: 0, late: 7).score, 300)
        XCTAssertEqual(IdentityContract.CreditScore(onTime: 1, late: 2).score, 483)  // 300 + ⌊550/3⌋
        XCTAssertEqual(IdentityContract.CreditScore(onTime: .max, late: 0).score, 850)
        XCTAssertEqual(IdentityContract.CreditScore(onTime: .max, late: .max).score, 575)
        for onTime in UInt64(0)...40 {
            for late in UInt64(0)...40 where onTime + late > 0 {
                let s = IdentityContract.CreditScore(onTime: onTime, late: late).score
                XCTAssertTrue((300...850).contains(s))
                XCTAssertEqual(s, 300 + 550 * onTime / (onTime + late))
            }
        }
    }

    func testHostileInputIsRefusedCleanly() throws {
        try registerAll()
        let claim = SealedClaim(payload: [1, 2, 3])
        let head: [ABIValue] = [.address(tenant.address), .uint(.one), .fixedBytes(claim.claimHash.bytes), .uint(.zero)]
        assertReverts("one payload per reader") { try send(landlord, "attestSealed", head + [.array([.address(tenant.address)]), .array([])]) }
        assertReverts("sealed payload is") { try send(landlord, "attestSealed", head + [.array([.address(tenant.address)]), .array([.bytes([1, 2])])]) }
        let big = [UInt8](repeating: 7, count: IdentityContract.maxPayloadBytes + 1)
        assertReverts("sealed payload is") { try send(landlord, "attestSealed", head + [.array([.address(tenant.address)]), .array([.bytes(big)])]) }
        let many = (0..<17).map { _ in ABIValue.address(tenant.address) }
        assertReverts("at most 16") { try send(landlord, "attestSealed", head + [.array(many), .array(many.map { _ in .bytes(big) })]) }
        // Truncated calldata and an unknown selector.
        let block = BlockContext(chainID: 7331, coinbase: .zero, number: 1, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
        for input in [Array(try ABI.encodeCall("register(bytes32)", [.fixedBytes([UInt8](repeating: 1, count: 32))]).prefix(20)), [0xde, 0xad, 0xbe, 0xef], []] {
            XCTAssertThrowsError(try contract.call(SystemCall(address: IdentityContract.address, caller: stranger.address, value: .zero, input: input,
                                                              gasAvailable: 1_000_000, block: block), state: state))
        }
        // Too little gas is an out-of-gas failure (the caller undoes the writes).
        XCTAssertThrowsError(try contract.call(SystemCall(address: IdentityContract.address, caller: stranger.address, value: .zero,
                                                          input: try ABI.encodeCall("register(bytes32)", [.fixedBytes([UInt8](repeating: 1, count: 32))]),
                                                          gasAvailable: 20_000, block: block), state: state)) { XCTAssertEqual($0 as? SystemCallError, .outOfGas) }
    }

    func testTheShippedABIIsTheInterface() throws {
        let abi = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("abi/Identity.json")
        XCTAssertEqual(try String(contentsOf: abi, encoding: .utf8), IdentityContract.interface.json, "regenerate with `ankr identity abi > abi/Identity.json`")
    }
}
