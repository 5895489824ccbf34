import AnkrChain
import AnkrCrypto
import AnkrDCAP
import AnkrDCAPTesting
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import Foundation
import XCTest

/// The EnclaveRegistry with DCAP evidence from the test PKI: collateral posting (verified, newest
/// wins, CRLs revoke), registration through the held collateral, and the real Intel quote refused.
final class EnclaveRegistryDCAPTests: XCTestCase {
    static let chainID: UInt64 = 7331
    static let pki = try! TestPKI(seed: 23)
    static let platform = try! pki.platform()
    let operatorKey = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let enclaveKey = try! PrivateKey(hex: "0x" + String(repeating: "5e", count: 32))
    let mrEnclave = [UInt8](repeating: 0xA1, count: 32)
    var state = WorldState()
    var now = TestPKI.referenceTime
    var rules = AttestationRules()

    override func setUp() {
        state = WorldState()
        now = TestPKI.referenceTime
        rules = AttestationRules()
        rules.dcapRoot = Self.pki.rootPublicKey
        rules.registrationPeriod = 86_400
        rules.miner.measurements = [try! H256(mrEnclave)]
    }

    @discardableResult
    func send(_ from: Address, _ name: String, _ args: [ABIValue]) throws -> SystemCallResult {
        let f = try XCTUnwrap(EnclaveRegistry.interface.functions.first { $0.name == name })
        let mark = state.snapshot()
        do {
            let block = BlockContext(chainID: Self.chainID, coinbase: .zero, number: 9, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
            return try EnclaveRegistry(rules: rules).call(SystemCall(address: EnclaveRegistry.address, caller: from, value: .zero,
                                                                     input: try ABI.encodeCall(f.signature, args), gasAvailable: 29_000_000,
                                                                     block: block), state: state)
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    @discardableResult
    func post(_ collateral: Collateral) throws -> SystemCallResult {
        try send(operatorKey.address, "postCollateral", [.bytes(TestPKI.json(of: collateral))])
    }

    func evidence(registrant: Address? = nil, role: EnclaveRole = .miner, debug: Bool = false) throws -> [UInt8] {
        let binding = EnclaveRegistry.registrationBinding(chainID: Self.chainID, registrant: registrant ?? operatorKey.address, role: role)
        let quote = try Self.platform.sgxQuote(reportData: Keccak256.hash(enclaveKey.publicKey.compressed) + binding, mrEnclave: mrEnclave,
                                               debug: debug)
        return try AttestationEvidence(format: .sgxDCAP, quote: quote, enclaveKey: enclaveKey.publicKey.compressed).encoded
    }

    @discardableResult
    func register(_ evidence: [UInt8], role: EnclaveRole = .miner) throws -> SystemCallResult {
        try send(operatorKey.address, "register", [.bytes(evidence), .uint(UInt256(UInt64(role.rawValue)))])
    }

    func assertReverts(_ text: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case SystemCallError.reverted(let why, let gas) = error else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(why.contains(text), "\(why) does not say \(text)", file: file, line: line)
            XCTAssertGreaterThan(gas, 0, file: file, line: line)
        }
    }

    func testDCAPRegistrationVerifiesWithTheHeldCollateral() throws {
        let evidence = try evidence()
        assertReverts("without collateral") { try register(evidence) }
        let collateral = try Self.pki.collateral(for: Self.platform)
        let posted = try post(collateral)
        XCTAssertEqual(posted.logs.last?.topics.first, EnclaveRegistry.interface.event(named: "CollateralPosted")?.topic)
        XCTAssertEqual(EnclaveRegistry.collateral(state: state), collateral)

        let result = try register(evidence)
        XCTAssertGreaterThan(result.gasUsed, EnclaveRegistry.quoteVerificationGas, "the verification is paid for")
        let r = try XCTUnwrap(EnclaveRegistry.registration(of: enclaveKey.address, role: .miner, state: state, time: now))
        XCTAssertEqual(r.format, .sgxDCAP)
        XCTAssertEqual(r.measurement, try H256(mrEnclave))
        XCTAssertEqual(r.platformID, Keccak256.h256(Self.platform.ppid))
        XCTAssertEqual(r.tcbStatus, .upToDate)
        XCTAssertEqual(r.registrant, operatorKey.address)
        XCTAssertEqual(r.expiresAt, now + 86_400)
        XCTAssertNil(EnclaveRegistry.registration(of: enclaveKey.address, role: .miner, state: state, time: now + 86_400))
        XCTAssertNil(EnclaveRegistry.registration(of: enclaveKey.address, role: .oracle, state: state, time: now))

        // Bound to another registrant or role, debug, or out of the collateral's window: refused.
        assertReverts("bound to another chain, registrant or role") { try register(try self.evidence(registrant: Address.zero)) }
        assertReverts("bound to another chain, registrant or role") { try register(try self.evidence(role: .oracle)) }
        assertReverts("debug") { try register(try self.evidence(debug: true)) }
        now = TestPKI.defaultNextUpdate + 1
        assertReverts("DCAP quote rejected") { try register(evidence) }
    }

    func testNewestCollateralWinsAndForgedCollateralIsRefused() throws {
        let day: UInt64 = 86_400
        try post(try Self.pki.collateral(for: Self.platform, issueDate: TestPKI.defaultIssueDate))
        assertReverts("before the held one") {
            try post(try Self.pki.collateral(for: Self.platform, issueDate: TestPKI.defaultIssueDate - 2 * day))
        }
        let newer = try Self.pki.collateral(for: Self.platform, status: .swHardeningNeeded, issueDate: TestPKI.defaultIssueDate + day)
        try post(newer)
        XCTAssertEqual(EnclaveRegistry.collateral(state: state), newer)
        XCTAssertEqual(try post(newer).logs.count, 1, "the same issue date again is taken (a fresher CRL), without new revocations")

        // Tampered documents, another PKI, a window not containing the block time: refused, the held one stays.
        var tampered = newer
        tampered.tcbInfo = tampered.tcbInfo.replacingOccurrences(of: "SWHardeningNeeded", with: "UpToDate")
        assertReverts("collateral") { try post(tampered) }
        let stranger = try TestPKI(seed: 99)
        assertReverts("collateral") { try post(try stranger.collateral(for: try stranger.platform(), issueDate: TestPKI.defaultIssueDate + 2 * day)) }
        assertReverts("collateral") {
            try post(try Self.pki.collateral(for: Self.platform, issueDate: now + day, nextUpdate: now + 30 * day))
        }
        assertReverts("collateral") { try send(operatorKey.address, "postCollateral", [.bytes(Array(TestPKI.json(of: newer).dropLast(9)))]) }
        XCTAssertEqual(EnclaveRegistry.collateral(state: state), newer)

        // Another platform model's collateral, however new, is held beside this one, not over it.
        let otherModel = try Self.pki.platform(index: 1, fmspc: [0x00, 0x90, 0x6E, 0xD5, 0x00, 0x01])
        let otherCollateral = try Self.pki.collateral(for: otherModel, issueDate: TestPKI.defaultIssueDate + 3 * day)
        try post(otherCollateral)
        XCTAssertEqual(EnclaveRegistry.collateral(state: state), otherCollateral, "the latest posted")
        XCTAssertEqual(EnclaveRegistry.collateral(for: CollateralKey(teeType: .sgx, fmspc: Self.platform.fmspc), state: state), newer)
        let ours = try AttestationEvidence(encoded: try evidence())
        XCTAssertEqual(CollateralKey(evidence: ours), CollateralKey(teeType: .sgx, fmspc: Self.platform.fmspc))
        XCTAssertEqual(EnclaveRegistry.collateral(for: ours, state: state), newer)
        XCTAssertNoThrow(try register(ours.encoded))
        let f = try XCTUnwrap(EnclaveRegistry.interface.functions.first { $0.name == "collateral" })
        let view = try ABI.decode(f.outputTypes, from: try send(operatorKey.address, "collateral", [.bool(false), .fixedBytes(Self.platform.fmspc)]).output)
        XCTAssertEqual(view, [.bytes(newer.json), .uint(UInt256(TestPKI.defaultIssueDate + day))])
    }

    func testMixedAndMatchedCollateralCannotLockAPlatformModelOut() throws {
        let honest = try Self.pki.collateral(for: Self.platform)
        try post(honest)
        // The root CA's own CRL passed off as the PCK CRL, with the root as its "issuer chain".
        var rootAsPCKCA = honest
        rootAsPCKCA.pckCRLIssuerChain = Self.pki.rootCertificatePEM
        rootAsPCKCA.pckCRL = honest.rootCACRL
        assertReverts("issued by the root CA") { try post(rootAsPCKCA) }
        // A TDX quoting enclave's identity beside an SGX TCB info.
        var spec = TestCollateralSpec(platform: Self.platform, tee: .sgx, status: .upToDate, advisoryIDs: [],
                                      issueDate: TestPKI.defaultIssueDate, nextUpdate: TestPKI.defaultNextUpdate)
        spec.qe = .tdx
        let tdQE = try Self.pki.collateral(spec)
        var mixed = honest
        (mixed.qeIdentity, mixed.qeIdentitySignature) = (tdQE.qeIdentity, tdQE.qeIdentitySignature)
        assertReverts("not for the TCB info's TEE") { try post(mixed) }
        XCTAssertEqual(EnclaveRegistry.collateral(state: state), honest, "the honest collateral is still held")
        XCTAssertNoThrow(try register(try evidence()))
    }

    func testALiveRegistrationIsRenewedOnlyByItsRegistrant() throws {
        try post(try Self.pki.collateral(for: Self.platform))
        try register(try evidence())
        // Anyone who can ask the enclave for evidence bound to their own account cannot take it over.
        let thief = try PrivateKey(hex: "0x" + String(repeating: "7e", count: 32))
        assertReverts("only it may renew") {
            try send(thief.address, "register", [.bytes(try evidence(registrant: thief.address)), .uint(.zero)])
        }
        XCTAssertEqual(EnclaveRegistry.registration(of: enclaveKey.address, role: .miner, state: state, time: now)?.registrant, operatorKey.address)
        now += 100
        XCTAssertNoThrow(try register(try evidence()), "the registrant renews")
        // Once it has lapsed, another account may register the enclave.
        now += 86_400
        XCTAssertNoThrow(try send(thief.address, "register", [.bytes(try evidence(registrant: thief.address)), .uint(.zero)]))
    }

    func testAPostedCRLRevokesTheRegistrationsOfItsSerials() throws {
        try post(try Self.pki.collateral(for: Self.platform))
        try register(try evidence())
        XCTAssertNotNil(EnclaveRegistry.registration(of: enclaveKey.address, role: .miner, state: state, time: now))

        let revoking = try Self.pki.collateral(for: Self.platform, revokedPCKSerials: [Self.platform.pckSerial])
        let result = try post(revoking)
        let revokedTopic = try XCTUnwrap(EnclaveRegistry.interface.event(named: "Revoked")?.topic)
        XCTAssertEqual(result.logs.filter { $0.topics.first == revokedTopic }.count, 1)
        XCTAssertNil(EnclaveRegistry.registration(of: enclaveKey.address, role: .miner, state: state, time: now))
        let f = try XCTUnwrap(EnclaveRegistry.interface.functions.first { $0.name == "registration" })
        let view = try ABI.decode(f.outputTypes, from: try send(operatorKey.address, "registration", [.address(enclaveKey.address), .uint(.zero)]).output)
        XCTAssertEqual(view[3], .bool(false))
        assertReverts("attestation") { try register(try evidence()) }
        // Even a later collateral whose CRL no longer lists the serial does not bring it back.
        try post(try Self.pki.collateral(for: Self.platform, issueDate: TestPKI.defaultIssueDate + 86_400))
        assertReverts("revoked") { try register(try evidence()) }
        XCTAssertNil(EnclaveRegistry.registration(of: enclaveKey.address, role: .miner, state: state, time: now))
    }

    /// Intel's real quote says "Hello, world!" in its report data: genuine hardware, but no enclave key
    /// is bound, so it can never register on our chain, even with every other rule relaxed to let it through.
    func testTheRealIntelQuoteIsRefusedForNotBindingAKey() throws {
        let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/vectors/sgx")
        let quote = try [UInt8](Data(contentsOf: vectors.appendingPathComponent("sgx_quote")))
        let json = try [UInt8](Data(contentsOf: vectors.appendingPathComponent("sgx_quote_collateral.json")))
        now = 1_750_809_600
        rules = AttestationRules()
        rules.acceptedStatuses = Set(TCBStatus.allCases)
        rules.miner.measurements = [try H256(hex: "0x33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb")]
        try send(operatorKey.address, "postCollateral", [.bytes(json)])
        let evidence = try AttestationEvidence(format: .sgxDCAP, quote: quote, enclaveKey: enclaveKey.publicKey.compressed)
        XCTAssertNotNil(EnclaveRegistry.collateral(for: evidence, state: state))
        assertReverts(AttestationError.keyNotBound.description) { try register(evidence.encoded) }
        // Under the default statuses it already fails on the platform's TCB status.
        rules.acceptedStatuses = AttestationRules().acceptedStatuses
        assertReverts("ConfigurationAndSWHardeningNeeded") { try register(evidence.encoded) }
    }
}
