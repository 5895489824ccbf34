import AnkrAssets
import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// The Assets contract on a world state: promotion, owner-only changes, burned ids staying burned,
/// the history of every change, and valuations taken only from delivered NOS answers.
final class AssetsContractTests: XCTestCase {
    let owner = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let buyer = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let rootKey = try! PrivateKey(hex: "0x" + String(repeating: "0a", count: 32))
    var state = WorldState()
    var number: UInt64 = 10
    /// Set when each test starts: XCTest on Linux makes every test instance at launch, and the
    /// oracle's attestation evidence must not look dated after the block time.
    var now: UInt64 = 0

    override func setUp() {
        state = WorldState()
        now = UInt64(Date().timeIntervalSince1970)
    }

    var block: BlockContext { BlockContext(chainID: 7331, coinbase: .zero, number: number, timestamp: now + number, gasLimit: 30_000_000, baseFee: .zero) }

    @discardableResult
    func send(_ contract: SystemContract, _ from: PrivateKey, _ signature: String, _ args: [ABIValue], value: UInt256 = .zero) throws -> SystemCallResult {
        let mark = state.snapshot()
        do {
            try state.subtractBalance(from.address, value)
            try state.addBalance(contract.address, value)
            let out = try contract.call(SystemCall(address: contract.address, caller: from.address, value: value, input: ABI.encodeCall(signature, args),
                                                   gasAvailable: 10_000_000, block: block), state: state)
            number += 1
            return out
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    func put(_ from: PrivateKey, _ id: UInt64, metadata: UInt8, valuation: UInt256 = .zero) throws {
        try send(AssetsContract(), from, "put(uint256,bytes32,uint256)", [.uint(UInt256(id)), .fixedBytes([UInt8](repeating: metadata, count: 32)), .uint(valuation)])
    }

    func asset(_ id: UInt64) throws -> [ABIValue] { try AssetsContract().view("asset", [.uint(UInt256(id))], state: state, block: block) }

    func testOwnerOnlyChangesAndAFullHistory() throws {
        try put(owner, 7, metadata: 1)
        try put(owner, 7, metadata: 2)
        assertReverts("belongs to") { try put(buyer, 7, metadata: 3) }
        assertReverts("belongs to") { try send(AssetsContract(), buyer, "transfer(uint256,address)", [.uint(UInt256(7)), .address(buyer.address)]) }
        assertReverts("zero address") { try send(AssetsContract(), owner, "transfer(uint256,address)", [.uint(UInt256(7)), .address(.zero)]) }
        assertReverts("no asset 8") { try send(AssetsContract(), owner, "burn(uint256)", [.uint(UInt256(8))]) }
        let moved = try send(AssetsContract(), owner, "transfer(uint256,address)", [.uint(UInt256(7)), .address(buyer.address)])
        XCTAssertEqual(moved.logs.first?.topics.count, 4, "AssetTransferred(id, from, to) all indexed")
        assertReverts("belongs to") { try send(AssetsContract(), owner, "burn(uint256)", [.uint(UInt256(7))]) }
        try send(AssetsContract(), buyer, "burn(uint256)", [.uint(UInt256(7))])
        assertReverts("cannot be reused") { try put(owner, 7, metadata: 9) }
        assertReverts("was burned") { try send(AssetsContract(), buyer, "transfer(uint256,address)", [.uint(UInt256(7)), .address(owner.address)]) }

        let a = try asset(7)
        XCTAssertEqual(a[0], .address(buyer.address))
        XCTAssertEqual(a[1], .fixedBytes([UInt8](repeating: 2, count: 32)))
        XCTAssertEqual(a[2], .uint(UInt256(AssetsContract.Status.burned.rawValue)))
        XCTAssertEqual(a[7], .uint(UInt256(4)))
        let h = try AssetsContract().view("history", [.uint(UInt256(7))], state: state, block: block).map { $0.arrayValue ?? [] }
        XCTAssertEqual(h[0], [1, 2, 4, 5].map { .uint(UInt256(UInt64($0))) })
        XCTAssertEqual(h[1], [owner, owner, owner, buyer].map { .address($0.address) })
        XCTAssertEqual(h[2][2], .address(buyer.address))
        XCTAssertEqual(h[4], [10, 11, 12, 13].map { .uint(UInt256(UInt64($0))) }, "each change at its own block")
        XCTAssertEqual(h[5][0], .uint(UInt256(now + 10)))
        XCTAssertEqual(try AssetsContract().view("assetCount", [], state: state, block: block), [.uint(.one)])
        XCTAssertEqual(try asset(99)[2], .uint(.zero), "an unknown id reads as status none")
    }

    func testIdsReservedForAnAddressArePromotedOnlyByIt() throws {
        let reserved = AssetsContract.reservedID(for: buyer.address)
        XCTAssertEqual(reserved, (UInt256.one.shiftedLeft(160)) | buyer.address.word)
        XCTAssertEqual(AssetsContract.reservedOwner(of: reserved), buyer.address)
        XCTAssertNil(AssetsContract.reservedOwner(of: buyer.address.word))
        XCTAssertNil(AssetsContract.reservedOwner(of: UInt256.one.shiftedLeft(161) | buyer.address.word))
        assertReverts("reserved for") { try send(AssetsContract(), owner, "put(uint256,bytes32,uint256)", [.uint(reserved), .fixedBytes([UInt8](repeating: 1, count: 32)), .uint(.zero)]) }
        try send(AssetsContract(), buyer, "put(uint256,bytes32,uint256)", [.uint(reserved), .fixedBytes([UInt8](repeating: 1, count: 32)), .uint(.zero)])
        // Once promoted it is an asset like any other: its owner may transfer it.
        try send(AssetsContract(), buyer, "transfer(uint256,address)", [.uint(reserved), .address(owner.address)])
    }

    /// A simulated oracle enclave registered in the EnclaveRegistry and a NOS request answered with `data`.
    func deliveredRequest(data: [UInt8], error: UInt64 = 0) throws -> UInt256 {
        var attestation = AttestationRules()
        attestation.oracle.attestationRoots = [rootKey.publicKey.compressed]
        attestation.oracle.measurements = [SimulatedEnclave.measurement(named: "ankr-oracle-v1")]
        attestation.oracle.allowSimulatedAttestation = true
        var rules = OracleRules()
        rules.minimumFee = UInt256(1_000)
        let nos = NOSContract(rules: rules)
        try state.setBalance(owner.address, UInt256(1_000_000))
        let platform = try SimulatedPlatform(id: Keccak256.h256([7]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: rootKey))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let evidence = try enclave.attest(userData: EnclaveRegistry.registrationBinding(chainID: 7331, registrant: owner.address, role: .oracle))
        try send(EnclaveRegistry(rules: attestation), owner, "register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(EnclaveRole.oracle.rawValue)))])
        let params: [UInt8] = [1, 2, 3]
        let out = try send(nos, owner, NOSContract.requestSignature, [.uint(.one), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0])], value: UInt256(1_000))
        let id = try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
        let d = OracleDatagram(chainID: 7331, contract: NOSContract.address, requestID: id, paramsHash: Keccak256.h256(params), error: error, data: data)
        try send(nos, owner, NOSContract.deliverSignature, [.uint(id), .fixedBytes(Keccak256.hash(params)), .uint(UInt256(error)), .bytes(data),
                                                           .bytes(try d.sign(with: enclave))])
        return id
    }

    /// A scheduled feed (every block, three rounds) whose first `answers.count` rounds are delivered with these values.
    func feed(answers: [Int64], type: UInt8 = 1) throws -> UInt256 {
        var attestation = AttestationRules()
        attestation.oracle.attestationRoots = [rootKey.publicKey.compressed]
        attestation.oracle.measurements = [SimulatedEnclave.measurement(named: "ankr-oracle-v1")]
        attestation.oracle.allowSimulatedAttestation = true
        var rules = OracleRules()
        rules.minimumFee = UInt256(1_000)
        let nos = NOSContract(rules: rules)
        try state.setBalance(owner.address, UInt256(1_000_000))
        let platform = try SimulatedPlatform(id: Keccak256.h256([9]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: rootKey))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let evidence = try enclave.attest(userData: EnclaveRegistry.registrationBinding(chainID: 7331, registrant: owner.address, role: .oracle))
        try send(EnclaveRegistry(rules: attestation), owner, "register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(EnclaveRole.oracle.rawValue)))])
        let params: [UInt8] = [4, 5, 6]
        // A zero gas cap: the escrow is the oracle fees alone.
        let out = try send(nos, owner, NOSContract.scheduleSignature, [.uint(UInt256(UInt64(type))), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0]),
                                                                       .uint(.zero), .uint(.one), .uint(.one), .uint(UInt256(3))], value: UInt256(3_000))
        let id = try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
        feedEnclave = enclave
        for (round, value) in answers.enumerated() { try deliverRound(id, UInt32(round), value) }
        return id
    }

    /// The enclave of the latest `feed(…)`, registered by the owner.
    var feedEnclave: SimulatedEnclave?

    func deliverRound(_ schedule: UInt256, _ round: UInt32, _ value: Int64, error: OracleErrorCode = .none) throws {
        let params: [UInt8] = [4, 5, 6]
        let requestID = NOSContract.scheduledRoundID(schedule: try XCTUnwrap(schedule.uint64), round: round)
        let data = error != .none ? [] : try ABI.encode([.int(value < 0 ? UInt256(UInt64(-value)).negated : UInt256(UInt64(value)))], types: [.int(bits: 256)])
        let d = OracleDatagram(chainID: 7331, contract: NOSContract.address, requestID: requestID, paramsHash: Keccak256.h256(params), error: error.rawValue,
                               data: data)
        var rules = OracleRules()
        rules.minimumFee = UInt256(1_000)
        try send(NOSContract(rules: rules), owner, NOSContract.deliverScheduledSignature,
                 [.uint(schedule), .uint(UInt256(UInt64(round))), .fixedBytes(Keccak256.hash(params)), .uint(UInt256(error.rawValue)), .bytes(data),
                  .bytes(try d.sign(with: try XCTUnwrap(feedEnclave)))])
    }

    func current(_ id: UInt64) throws -> [ABIValue] { try AssetsContract().view("currentValuation", [.uint(UInt256(id))], state: state, block: block) }

    func testAValuationFollowsAScheduledFeedOnceItsOwnerSaysSo() throws {
        try put(owner, 3, metadata: 3)
        let follow = "followSchedule(uint256,uint256)"
        assertReverts("no NOS schedule 7") { try send(AssetsContract(), owner, follow, [.uint(UInt256(3)), .uint(UInt256(7))]) }
        let schedule = try feed(answers: [1_000])
        assertReverts("belongs to") { try send(AssetsContract(), buyer, follow, [.uint(UInt256(3)), .uint(schedule)]) }
        let bulk = try feed(answers: [], type: 3)
        assertReverts("does not answer a public number") { try send(AssetsContract(), owner, follow, [.uint(UInt256(3)), .uint(bulk)]) }

        try send(AssetsContract(), owner, follow, [.uint(UInt256(3)), .uint(schedule)])
        XCTAssertEqual(try AssetsContract().view("valuationSchedule", [.uint(UInt256(3))], state: state, block: block), [.uint(schedule)])
        XCTAssertEqual(try asset(3)[3], .uint(UInt256(1_000)), "following records the feed's value at that moment")
        XCTAssertEqual(try current(3)[0], .uint(UInt256(1_000)))
        XCTAssertEqual(try current(3)[3], .uint(.zero), "round 0")

        // The next round's answer is the valuation at once, with no transaction of the owner's.
        try deliverRound(schedule, 1, 1_250)
        XCTAssertEqual(try current(3)[0], .uint(UInt256(1_250)))
        XCTAssertEqual(try current(3)[1], .uint(NOSContract.scheduledRoundID(schedule: try XCTUnwrap(schedule.uint64), round: 1)))
        XCTAssertEqual(try current(3)[3], .uint(.one))
        XCTAssertEqual(try current(3)[4], .uint(UInt256(number - 1)), "the block that delivered it")
        // A round that ends in an error leaves the valuation at the feed's last good answer, not the one put by hand.
        let goodBlock = number - 1
        try deliverRound(schedule, 2, 0, error: .sourceUnavailable)
        XCTAssertEqual(try current(3)[0], .uint(UInt256(1_250)))
        XCTAssertEqual(try current(3)[3], .uint(.one))
        XCTAssertEqual(try current(3)[4], .uint(UInt256(goodBlock)))

        // A negative answer is no valuation: the one put before stands.
        let negative = try feed(answers: [-5])
        try send(AssetsContract(), owner, follow, [.uint(UInt256(3)), .uint(negative)])
        XCTAssertEqual(try current(3)[0], .uint(UInt256(1_000)))
        XCTAssertEqual(try current(3)[2], .uint(negative))
        // Zero stops following.
        try send(AssetsContract(), owner, follow, [.uint(UInt256(3)), .uint(.zero)])
        XCTAssertEqual(try current(3)[2], .uint(.zero))
        let kinds = try AssetsContract().view("history", [.uint(UInt256(3))], state: state, block: block)[0].arrayValue
        XCTAssertEqual(kinds, [.uint(UInt256(1)), .uint(UInt256(3))], "promoted, then valued once from the feed")
    }

    func testValuationsComeOnlyFromDeliveredNonNegativeAnswers() throws {
        assertReverts("no answer yet") { try put(owner, 1, metadata: 1, valuation: UInt256(5)) }
        let price = try deliveredRequest(data: try ABI.encode([.int(UInt256(345_678))], types: [.int(bits: 256)]))
        try put(owner, 1, metadata: 1, valuation: price)
        XCTAssertEqual(try asset(1)[3], .uint(UInt256(345_678)))
        XCTAssertEqual(try asset(1)[4], .uint(price))

        let negative = try deliveredRequest(data: try ABI.encode([.int(UInt256(5).negated)], types: [.int(bits: 256)]))
        assertReverts("non-negative") { try put(owner, 1, metadata: 1, valuation: negative) }
        let failed = try deliveredRequest(data: [], error: 2)
        assertReverts("non-negative") { try put(owner, 1, metadata: 1, valuation: failed) }
        XCTAssertEqual(try asset(1)[3], .uint(UInt256(345_678)), "a refused revaluation keeps the old value")
    }
}
