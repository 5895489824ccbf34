import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// Scheduled feeds on a main-chain state: the escrow every round needs up front, rounds delivered
/// only when due, skipped rounds and cancellations refunded to the wei, the last round taking the
/// remainder, k-of-n rounds, and the latest answer as contracts read it.
final class NOSScheduleTests: XCTestCase {
    let requester = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let relay = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let secondRelay = try! PrivateKey(hex: "0x" + String(repeating: "c3", count: 32))
    let rootKey = try! PrivateKey(hex: "0x" + String(repeating: "0a", count: 32))
    let chainID: UInt64 = 7331
    var rules = OracleRules()
    var state: WorldState!
    var contract: NOSContract!
    var registry: EnclaveRegistry!
    var enclave: SimulatedEnclave!
    var secondEnclave: SimulatedEnclave!
    var now: UInt64 = 0
    var number: UInt64 = 100
    /// The delivering relay's gas price (its transaction's effective price).
    var gasPrice = UInt256(7)
    let params = Array("{\"url\":\"https://feed.example/price\"}".utf8)
    let start = UInt256(1_000_000_000_000_000)

    override func setUpWithError() throws {
        var attestation = AttestationRules()
        attestation.registrationPeriod = 100_000
        attestation.oracle.attestationRoots = [rootKey.publicKey.compressed]
        attestation.oracle.measurements = [SimulatedEnclave.measurement(named: "ankr-oracle-v1")]
        attestation.oracle.allowSimulatedAttestation = true
        registry = EnclaveRegistry(rules: attestation)
        rules.minimumFee = UInt256(1_000)
        rules.cancellationFee = UInt256(100)
        contract = NOSContract(rules: rules)
        state = WorldState()
        now = UInt64(Date().timeIntervalSince1970)
        for k in [requester, relay, secondRelay] { try state.setBalance(k.address, start) }
        func platform(_ seed: UInt8) throws -> SimulatedPlatform {
            try SimulatedPlatform(id: Keccak256.h256([seed]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: rootKey))
        }
        enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: try platform(7))
        secondEnclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: try platform(8))
        try enroll(enclave, by: relay)
        try enroll(secondEnclave, by: secondRelay)
    }

    var block: BlockContext { BlockContext(chainID: chainID, coinbase: .zero, number: number, timestamp: now, gasLimit: 30_000_000, baseFee: .zero) }

    @discardableResult
    func send(_ from: PrivateKey, _ name: String, _ args: [ABIValue] = [], value: UInt256 = .zero, gas: UInt64 = 10_000_000,
              intrinsicGas: UInt64 = 0) throws -> SystemCallResult {
        let f = try XCTUnwrap(NOSContract.interface.functions.first { $0.name == name && $0.inputs.count == args.count })
        let mark = state.snapshot()
        do {
            try state.subtractBalance(from.address, value)
            try state.addBalance(NOSContract.address, value)
            return try contract.call(SystemCall(address: NOSContract.address, caller: from.address, value: value, input: ABI.encodeCall(f.signature, args),
                                                gasAvailable: gas, block: block, gasPrice: gasPrice, intrinsicGas: intrinsicGas), state: state)
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    func view(_ name: String, _ args: [ABIValue]) throws -> [ABIValue] { try contract.view(name, args, state: state, block: block) }

    func enroll(_ e: Enclave, by registrant: PrivateKey) throws {
        let evidence = try e.attest(userData: EnclaveRegistry.registrationBinding(chainID: chainID, registrant: registrant.address, role: .oracle))
        let input = try ABI.encodeCall("register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(EnclaveRole.oracle.rawValue)))])
        _ = try registry.call(SystemCall(address: EnclaveRegistry.address, caller: registrant.address, value: .zero, input: input,
                                         gasAvailable: 1_000_000, block: block), state: state)
    }

    /// The least escrow `updates` rounds need at `cap`, as the view names it.
    func escrow(cap: UInt256, enclaves: UInt8 = 1, updates: UInt32) throws -> UInt256 {
        try XCTUnwrap(view("scheduleEscrow", [.uint(.one), .bool(false), .uint(cap), .uint(UInt256(UInt64(enclaves))), .uint(UInt256(UInt64(updates)))]).first?.uintValue)
    }

    func schedule(period: UInt64, updates: UInt32, cap: UInt256 = UInt256(10), enclaves: UInt8 = 1, value: UInt256? = nil, seconds: Bool = false) throws -> UInt256 {
        let paid = try value ?? escrow(cap: cap, enclaves: enclaves, updates: updates)
        let out = try send(requester, seconds ? "scheduleSeconds" : "schedule",
                           [.uint(.one), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0]), .uint(cap), .uint(UInt256(UInt64(enclaves))),
                            .uint(UInt256(period)), .uint(UInt256(UInt64(updates)))], value: paid)
        return try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
    }

    func price(_ value: UInt64) throws -> [UInt8] { try ABI.encode([.int(UInt256(value))], types: [.int(bits: 256)]) }

    @discardableResult
    func deliver(_ schedule: UInt256, round: UInt32, value: UInt64, error: OracleErrorCode = .none, by sender: PrivateKey? = nil,
                 signer: SimulatedEnclave? = nil, intrinsicGas: UInt64 = 0) throws -> SystemCallResult {
        let id = NOSContract.scheduledRoundID(schedule: try XCTUnwrap(schedule.uint64), round: round)
        let data = error == .none ? try price(value) : []
        let d = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: id, paramsHash: Keccak256.h256(params), error: error.rawValue, data: data)
        return try send(sender ?? relay, "deliverScheduled", [.uint(schedule), .uint(UInt256(UInt64(round))), .fixedBytes(Keccak256.hash(params)),
                                                           .uint(UInt256(error.rawValue)), .bytes(data), .bytes(try d.sign(with: signer ?? enclave))],
                        intrinsicGas: intrinsicGas)
    }

    func schedule(_ id: UInt256) throws -> ScheduleState { try XCTUnwrap(ScheduleState(try view("getSchedule", [.uint(id)]))) }

    func latest(_ id: UInt256) throws -> (round: UInt32, value: UInt256, block: UInt64)? {
        let out = try view("latestAnswer", [.uint(id)])
        guard out[0] == .bool(true) else { return nil }
        let data = try XCTUnwrap(out[4].bytesValue)
        return (UInt32(try XCTUnwrap(out[1].uintValue?.uint64)), try XCTUnwrap(UInt256(bigEndian: data.prefix(32))), try XCTUnwrap(out[5].uintValue?.uint64))
    }

    func balance(_ k: PrivateKey) throws -> UInt256 { try state.balance(k.address) }
    func balance(_ a: Address) throws -> UInt256 { try state.balance(a) }

    // MARK: Tests

    func testRoundIDsKeepTheTopBitAndRoundTrip() {
        for (schedule, round) in [(UInt64(1), UInt32(0)), (42, 7), (UInt64.max >> 32, UInt32.max)] {
            let id = NOSContract.scheduledRoundID(schedule: schedule, round: round)
            XCTAssertTrue(id.isNegative, "the top bit keeps round ids apart from request ids")
            XCTAssertEqual(NOSContract.scheduledRound(of: id)?.schedule, schedule)
            XCTAssertEqual(NOSContract.scheduledRound(of: id)?.round, round)
        }
        XCTAssertNil(NOSContract.scheduledRound(of: UInt256(5)))
        XCTAssertNil(NOSContract.scheduledRound(of: .max))
    }

    func testCreatingAScheduleNeedsEveryRoundsEscrowAndSaneTerms() throws {
        let cap = UInt256(10)
        let needed = try escrow(cap: cap, updates: 4)
        // Each round: a one-off request's escrow plus opening the round, at the cap.
        let oneOff = try XCTUnwrap(view("requiredEscrow", [.uint(.one), .bool(false), .uint(cap), .uint(.one)]).first?.uintValue)
        XCTAssertEqual(needed, (oneOff &+ UInt256(NOSContract.scheduledRoundOverheadGas) &* cap) &* UInt256(4))
        assertReverts("needs \(needed) wei") { _ = try self.schedule(period: 2, updates: 4, cap: cap, value: needed &- .one) }
        assertReverts("unknown request type") {
            try self.send(self.requester, "schedule", [.uint(UInt256(9)), .bytes(self.params), .address(.zero), .fixedBytes([0, 0, 0, 0]), .uint(cap), .uint(.one),
                                                       .uint(UInt256(2)), .uint(UInt256(4))], value: needed)
        }
        for privateType in [UInt256(0x81), UInt256(0x84)] {
            assertReverts("cannot be private") {
                try self.send(self.requester, "schedule", [.uint(privateType), .bytes(self.params), .address(.zero), .fixedBytes([0, 0, 0, 0]), .uint(cap),
                                                           .uint(.one), .uint(UInt256(2)), .uint(UInt256(4))], value: needed)
            }
        }
        assertReverts("period must be") { _ = try self.schedule(period: 0, updates: 4, value: needed) }
        assertReverts("period must be") { _ = try self.schedule(period: NOSContract.maxSchedulePeriod + 1, updates: 4, value: needed) }
        assertReverts("updates must be") { _ = try self.schedule(period: 2, updates: 0, value: needed) }
        assertReverts("updates must be") { _ = try self.schedule(period: 2, updates: NOSContract.maxScheduledUpdates + 1, value: needed) }
        assertReverts("enclaves") { _ = try self.schedule(period: 2, updates: 4, enclaves: 0, value: needed) }
        assertReverts("overflows") { _ = try self.schedule(period: 2, updates: 4, cap: .max, value: needed) }
        XCTAssertEqual(try balance(requester), start, "refused schedules cost nothing here")

        let id = try schedule(period: 2, updates: 4, cap: cap)
        XCTAssertEqual(id, .one)
        XCTAssertEqual(try view("scheduleCount", []), [.uint(.one)])
        let s = try schedule(id)
        XCTAssertEqual(s.requester, requester.address)
        XCTAssertEqual([s.period, s.start, UInt64(s.updates), UInt64(s.nextRound)], [2, number, 4, 0])
        XCTAssertEqual(s.status, .active)
        XCTAssertEqual(s.escrowLeft, needed)
        XCTAssertEqual(s.escrowPerRound, needed / UInt256(4))
        XCTAssertTrue(s.due, "round 0 is due at once")
        XCTAssertNil(s.latestRound)
        XCTAssertNil(try latest(id))
    }

    func testRoundsAreDeliveredOnlyWhenDueAndEachSettlesFromItsOwnEscrow() throws {
        let id = try schedule(period: 2, updates: 3)
        let begin = number
        let perRound = try schedule(id).escrowPerRound
        let requesterAfterPaying = try balance(requester)

        let relayBefore = try balance(relay)
        let first = try deliver(id, round: 0, value: 100)
        // The relay gets its gas back at min(price, cap) and the oracle fee: it neither gains nor loses on gas.
        XCTAssertEqual(try balance(relay), relayBefore &+ rules.minimumFee &+ UInt256(first.gasUsed) &* gasPrice)
        XCTAssertLessThanOrEqual(first.gasUsed, NOSContract.deliverScheduledGasLimit(dataBytes: 32, callback: false, enclaves: 1))
        XCTAssertEqual(try latest(id)?.round, 0)
        XCTAssertEqual(try latest(id)?.value, UInt256(100))
        XCTAssertEqual(try latest(id)?.block, begin)
        // The rest of round 0's escrow went back to the requester at once.
        XCTAssertEqual(try balance(requester), requesterAfterPaying &+ perRound &- rules.minimumFee &- UInt256(first.gasUsed) &* gasPrice)
        assertReverts("no longer pending") { try self.deliver(id, round: 0, value: 100) }

        number = begin + 1
        XCTAssertFalse(try schedule(id).due)
        assertReverts("not due yet") { try self.deliver(id, round: 1, value: 101) }
        assertReverts("not due yet") { try self.deliver(id, round: 2, value: 102) }
        number = begin + 2
        XCTAssertTrue(try schedule(id).due)
        try deliver(id, round: 1, value: 101)
        XCTAssertEqual(try latest(id)?.value, UInt256(101))

        // An answer must be signed for its own round: round 1's datagram cannot answer round 2.
        number = begin + 4
        let d = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: NOSContract.scheduledRoundID(schedule: 1, round: 1),
                               paramsHash: Keccak256.h256(params), error: 0, data: try price(999))
        assertReverts("not a registered oracle") {
            try self.send(self.relay, "deliverScheduled", [.uint(id), .uint(UInt256(2)), .fixedBytes(Keccak256.hash(self.params)), .uint(.zero),
                                                           .bytes(try self.price(999)), .bytes(try d.sign(with: self.enclave))])
        }
        try deliver(id, round: 2, value: 102)
        let s = try schedule(id)
        XCTAssertEqual(s.status, .finished)
        XCTAssertEqual(s.escrowLeft, .zero)
        XCTAssertEqual(try balance(NOSContract.address).isZero, true, "every wei of a finished schedule is paid out")
        assertReverts("finished") { try self.send(self.requester, "cancelSchedule", [.uint(id)]) }
        number = begin + 100
        assertReverts("no longer pending") { try self.deliver(id, round: 2, value: 103) }
        XCTAssertEqual(try latest(id)?.round, 2)
    }

    func testMissedRoundsAreSkippedAndRefundedAndCancellingRefundsTheRestToTheWei() throws {
        // Five rounds' escrow plus 3 wei that do not divide by five: the last round would take them.
        let needed = try escrow(cap: UInt256(10), updates: 5)
        let id = try schedule(period: 1, updates: 5, value: needed &+ UInt256(3))
        let begin = number
        let perRound = try schedule(id).escrowPerRound
        XCTAssertEqual(perRound, (needed &+ UInt256(3)) / UInt256(5))
        try deliver(id, round: 0, value: 100)

        // Three blocks on, round 3 is due: round 1 is too old; round 2 (just before the due one) or 3 may be opened.
        number = begin + 3
        assertReverts("skipped") { try self.deliver(id, round: 1, value: 101) }
        let before = try balance(requester)
        let opened = try deliver(id, round: 3, value: 103)
        let skipped = try XCTUnwrap(opened.logs.first { $0.topics.first == NOSContract.interface.event(named: "RoundsSkipped")?.topic })
        XCTAssertEqual(try ABI.decode([.uint(bits: 32), .uint(bits: 32), .uint(bits: 256)], from: skipped.data),
                       [.uint(UInt256(1)), .uint(UInt256(2)), .uint(perRound &* UInt256(2))])
        // Back to the requester: two skipped rounds, plus what round 3 did not spend.
        XCTAssertEqual(try balance(requester), before &+ perRound &* UInt256(3) &- rules.minimumFee &- UInt256(opened.gasUsed) &* gasPrice)
        assertReverts("skipped or opened") { try self.deliver(id, round: 2, value: 102) }

        // Cancelling: only the requester, and every unopened round's escrow (with the remainder) comes back.
        assertReverts("only the requester") { try self.send(self.relay, "cancelSchedule", [.uint(id)]) }
        let left = try schedule(id).escrowLeft
        XCTAssertEqual(left, perRound &+ UInt256(3))
        let beforeCancel = try balance(requester)
        let cancelled = try send(requester, "cancelSchedule", [.uint(id)])
        XCTAssertEqual(try balance(requester), beforeCancel &+ left)
        XCTAssertEqual(try ABI.decode([.uint(bits: 256)], from: try XCTUnwrap(cancelled.logs.first).data), [.uint(left)])
        XCTAssertEqual(try balance(NOSContract.address), .zero)
        XCTAssertEqual(try schedule(id).status, .cancelled)
        assertReverts("cancelled") { try self.send(self.requester, "cancelSchedule", [.uint(id)]) }
        number = begin + 4
        assertReverts("cancelled") { try self.deliver(id, round: 4, value: 104) }
        XCTAssertEqual(try latest(id)?.value, UInt256(103), "the latest answer stays readable after cancelling")
    }

    func testTheLastRoundTakesTheRemainderAndStaysDeliverable() throws {
        let needed = try escrow(cap: UInt256(10), updates: 2)
        let id = try schedule(period: 5, updates: 2, value: needed &+ UInt256(1))
        let begin = number
        try deliver(id, round: 0, value: 1)
        number = begin + 1_000  // long after: the last round is still the one due
        XCTAssertEqual(try schedule(id).dueRound, 1)
        let before = try balance(requester)
        let last = try deliver(id, round: 1, value: 2)
        let lastEscrow = needed / UInt256(2) &+ UInt256(1)
        XCTAssertEqual(try balance(requester), before &+ lastEscrow &- rules.minimumFee &- UInt256(last.gasUsed) &* gasPrice)
        XCTAssertEqual(try balance(NOSContract.address), .zero)
    }

    func testSchedulesInSecondsFollowTheBlockClock() throws {
        let id = try schedule(period: 60, updates: 3, seconds: true)
        let t0 = now
        XCTAssertTrue(try schedule(id).inSeconds)
        try deliver(id, round: 0, value: 1)
        now = t0 + 59
        number += 50
        assertReverts("not due yet") { try self.deliver(id, round: 1, value: 2) }
        now = t0 + 60
        try deliver(id, round: 1, value: 2)
        XCTAssertEqual(try latest(id)?.round, 1)
    }

    func testAKOfNRoundCompletesAtTheKthAnswerOnDistinctPlatforms() throws {
        let id = try schedule(period: 3, updates: 2, enclaves: 2)
        try deliver(id, round: 0, value: 500)
        XCTAssertNil(try latest(id), "one answer of two completes nothing")
        let s = try schedule(id)
        XCTAssertEqual(s.roundToAnswer?.round, 0)
        XCTAssertEqual(s.roundToAnswer?.opens, false)
        assertReverts("already answered") { try self.deliver(id, round: 0, value: 500) }
        // A second answer opens nothing: it joins the open round, and its relay is paid like the first.
        let before = try balance(secondRelay)
        let second = try deliver(id, round: 0, value: 500, by: secondRelay, signer: secondEnclave)
        XCTAssertEqual(try balance(secondRelay), before &+ rules.minimumFee &+ UInt256(second.gasUsed) &* gasPrice,
                       "the second relay (its enclave's registrant) gets its gas back and one oracle fee")
        XCTAssertEqual(try latest(id)?.value, UInt256(500))
        XCTAssertNil(try schedule(id).roundToAnswer)
    }

    func testTheOpeningOverheadCoversWhatOpeningARoundCosts() throws {
        // The same answer as a one-off request and as the first answer of a round: the difference is the opening.
        let one = try XCTUnwrap(view("requiredEscrow", [.uint(.one), .bool(false), .uint(UInt256(10)), .uint(.one)]).first?.uintValue)
        let out = try send(requester, "request", [.uint(.one), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0]), .uint(UInt256(10)), .uint(.one)],
                           value: one)
        let rid = try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
        let data = try price(1)
        let d = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: rid, paramsHash: Keccak256.h256(params), error: 0, data: data)
        let plain = try send(relay, "deliver", [.uint(rid), .fixedBytes(Keccak256.hash(params)), .uint(.zero), .bytes(data), .bytes(try d.sign(with: enclave))])
        let id = try schedule(period: 1, updates: 3)
        let first = try deliver(id, round: 0, value: 1)
        number += 1
        let second = try deliver(id, round: 1, value: 1)  // keeps round 0 as the latest good answer: its word is fresh
        number += 1
        let third = try deliver(id, round: 2, value: 1)  // every word already written once
        for opening in [first, second, third] {
            XCTAssertLessThanOrEqual(opening.gasUsed - plain.gasUsed, NOSContract.scheduledRoundOverheadGas)
        }
        XCTAssertLessThan(third.gasUsed, second.gasUsed)
        print("gas: deliver \(plain.gasUsed), first round \(first.gasUsed), second \(second.gasUsed), later \(third.gasUsed)")
    }

    func testPlainDeliverRefusesARoundSoTheFeedCannotBeFrozen() throws {
        let id = try schedule(period: 3, updates: 2, enclaves: 2)
        try deliver(id, round: 0, value: 500)
        // The round's last answer sent with plain deliver would complete it without moving the schedule's latest round.
        let rid = NOSContract.scheduledRoundID(schedule: 1, round: 0)
        let data = try price(500)
        let d = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: rid, paramsHash: Keccak256.h256(params), error: 0, data: data)
        assertReverts("answer it with deliverScheduled") {
            try self.send(self.secondRelay, "deliver", [.uint(rid), .fixedBytes(Keccak256.hash(self.params)), .uint(.zero), .bytes(data),
                                                        .bytes(try d.sign(with: self.secondEnclave))])
        }
        XCTAssertEqual(try view("getResponse", [.uint(rid)]).first?.uintValue, UInt256(NOSContract.Status.pending.rawValue))
        try deliver(id, round: 0, value: 500, by: secondRelay, signer: secondEnclave)
        XCTAssertEqual(try latest(id)?.round, 0)
        XCTAssertEqual(try schedule(id).latestRound, 0)
    }

    func testARoundEndingInAnErrorKeepsTheLastGoodAnswer() throws {
        let id = try schedule(period: 1, updates: 5, enclaves: 1)
        let begin = number
        // An error before any good answer: nothing to serve yet.
        try deliver(id, round: 0, value: 0, error: .sourceUnavailable)
        XCTAssertNil(try latest(id))
        XCTAssertEqual(try schedule(id).latestRound, 0, "getSchedule names the latest round whatever its outcome")
        number = begin + 1
        try deliver(id, round: 1, value: 100)
        XCTAssertEqual(try latest(id)?.value, UInt256(100))
        // Two errors in a row after it: latestAnswer keeps round 1, its block and time.
        for round in UInt32(2)...3 {
            number = begin + UInt64(round)
            try deliver(id, round: round, value: 0, error: round == 2 ? .sourceStatus : .badData)
            let out = try view("latestAnswer", [.uint(id)])
            XCTAssertEqual(out[0], .bool(true))
            XCTAssertEqual(out[1], .uint(.one))
            XCTAssertEqual(out[2], .uint(NOSContract.scheduledRoundID(schedule: 1, round: 1)))
            XCTAssertEqual(out[3], .uint(.zero))
            XCTAssertEqual(UInt256(bigEndian: try XCTUnwrap(out[4].bytesValue).prefix(32)), UInt256(100))
            XCTAssertEqual(out[5], .uint(UInt256(begin + 1)), "the good round's block, not the error's")
            XCTAssertEqual(try schedule(id).latestRound, round)
            var reader = SystemStorage(state: state, address: .zero, gasLimit: 1_000_000)
            XCTAssertEqual(try XCTUnwrap(NOSContract.latestScheduledAnswer(id, chargedTo: &reader)).round, 1, "as other contracts read it")
        }
        number = begin + 4
        try deliver(id, round: 4, value: 104)
        XCTAssertEqual(try latest(id)?.round, 4)
        XCTAssertEqual(try latest(id)?.value, UInt256(104))
    }

    func testAKOfNRoundWithoutQuorumKeepsTheLastGoodAnswer() throws {
        let id = try schedule(period: 1, updates: 2, enclaves: 2)
        try deliver(id, round: 0, value: 500)
        try deliver(id, round: 0, value: 500, by: secondRelay, signer: secondEnclave)
        number += 1
        try deliver(id, round: 1, value: 500)
        try deliver(id, round: 1, value: 900, by: secondRelay, signer: secondEnclave)  // 80% apart: no majority agrees
        XCTAssertEqual(try view("getResponse", [.uint(NOSContract.scheduledRoundID(schedule: 1, round: 1))])[1], .uint(UInt256(OracleErrorCode.noQuorum.rawValue)))
        XCTAssertEqual(try schedule(id).latestRound, 1)
        XCTAssertEqual(try latest(id)?.round, 0)
        XCTAssertEqual(try latest(id)?.value, UInt256(500))
    }

    func testOnlyTheDeliveryThatOpenedARoundIsReimbursedTheOpeningGas() throws {
        let id = try schedule(period: 1, updates: 2, enclaves: 2)
        let limit = NOSContract.deliverGasLimit(dataBytes: 32, callback: false, enclaves: 2)
        // Honest deliveries (intrinsic gas of a plain transaction): each gets exactly its gas back, the opening included.
        let honest: UInt64 = 21_000 + 16 * 400
        var before = try balance(relay)
        let opening = try deliver(id, round: 0, value: 500, intrinsicGas: honest)
        XCTAssertGreaterThan(opening.gasUsed + honest, limit - NOSContract.quorumAnswerGas, "opening a round costs more than a one-off answer's whole limit")
        XCTAssertEqual(try balance(relay), before &+ rules.minimumFee &+ UInt256(opening.gasUsed + honest) &* gasPrice)
        before = try balance(secondRelay)
        let joining = try deliver(id, round: 0, value: 500, by: secondRelay, signer: secondEnclave, intrinsicGas: honest)
        XCTAssertEqual(try balance(secondRelay), before &+ rules.minimumFee &+ UInt256(joining.gasUsed + honest) &* gasPrice)

        // Padded deliveries (calldata or an access list inflating the intrinsic gas): the opener's reimbursement stops at its
        // limit plus the opening allowance, the joiner's at its limit alone (the k-th answer's), so the allowance is paid once per round.
        number += 1
        let padding: UInt64 = 5_000_000
        before = try balance(relay)
        try deliver(id, round: 1, value: 500, intrinsicGas: padding)
        XCTAssertEqual(try balance(relay), before &+ rules.minimumFee &+ UInt256(limit + NOSContract.scheduledRoundOverheadGas) &* gasPrice)
        before = try balance(secondRelay)
        try deliver(id, round: 1, value: 500, by: secondRelay, signer: secondEnclave, intrinsicGas: padding)
        // The joiner's answer is the k-th: it stores the majority's answer, which may be up to maxDataBytes, so its limit is that one's.
        let finalLimit = NOSContract.deliverGasLimit(dataBytes: NOSContract.maxDataBytes, callback: false, enclaves: 2)
        XCTAssertEqual(try balance(secondRelay), before &+ rules.minimumFee &+ UInt256(finalLimit) &* gasPrice)
        XCTAssertEqual(try balance(NOSContract.address), .zero, "the last round settled every wei")
    }
}
