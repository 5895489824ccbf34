import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// The fee promises of NOS (white paper §6.1), to the wei, through the real state transition with
/// signed transactions: a relay delivering at a price within the request's cap ends with exactly the
/// oracle fee more than it started with, whatever the base fee (1…500 gwei) and whatever the
/// callback does (nothing, burns all its gas, reverts, earns a refund); a requester never pays more
/// than the oracle fee plus its cap times the delivery's gas; k-of-n pays each answering relay alike.
final class NOSFeeTests: XCTestCase {
    let requester = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let relays = [try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32)), try! PrivateKey(hex: "0x" + String(repeating: "b3", count: 32)),
                  try! PrivateKey(hex: "0x" + String(repeating: "b4", count: 32))]
    let rootKey = try! PrivateKey(hex: "0x" + String(repeating: "0a", count: 32))
    let coinbase = try! Address(hex: "0x00000000000000000000000000000000000000c0")
    let chainID: UInt64 = 7331
    let gwei = UInt256(1_000_000_000)
    var rules = OracleRules()
    var state: WorldState!
    var contracts: SystemContractRegistry!
    var enclaves: [SimulatedEnclave] = []
    var now: UInt64 = 0
    var baseFee = UInt256(1_000_000_000)

    override func setUpWithError() throws {
        var attestation = AttestationRules()
        attestation.oracle.attestationRoots = [rootKey.publicKey.compressed]
        attestation.oracle.measurements = [SimulatedEnclave.measurement(named: "ankr-oracle-v1")]
        attestation.oracle.allowSimulatedAttestation = true
        let registry = EnclaveRegistry(rules: attestation)
        rules.minimumFee = UInt256(1_000_000_000_000_000)
        contracts = SystemContractRegistry([NOSContract(rules: rules), registry])
        state = WorldState()
        now = UInt64(Date().timeIntervalSince1970)
        let plenty = UInt256(1_000) &* UInt256(1_000_000_000_000_000_000)
        for k in [requester] + relays { try state.setBalance(k.address, plenty) }
        for a in [NOSContract.address, EnclaveRegistry.address] {
            try state.setCode(a, SystemContractRegistry.markerCode)
            try state.setNonce(a, 1)
        }
        // Three enclaves on three platforms, each registered by its own relay.
        for (i, relay) in relays.enumerated() {
            let platform = try SimulatedPlatform(id: Keccak256.h256([UInt8(i + 1)]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: rootKey))
            let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
            let evidence = try enclave.attest(userData: EnclaveRegistry.registrationBinding(chainID: chainID, registrant: relay.address, role: .oracle))
            _ = try registry.call(SystemCall(address: EnclaveRegistry.address, caller: relay.address, value: .zero,
                                             input: try ABI.encodeCall("register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(EnclaveRole.oracle.rawValue)))]),
                                             gasAvailable: 2_000_000, block: block()), state: state)
            enclaves.append(enclave)
        }
    }

    func block() -> BlockContext {
        BlockContext(chainID: chainID, coinbase: coinbase, number: 5, timestamp: now, gasLimit: 60_000_000, baseFee: baseFee)
    }

    /// Signs and applies a transaction; returns its outcome.
    @discardableResult
    func transact(_ from: PrivateKey, to: Address, data: [UInt8], value: UInt256 = .zero, gasLimit: UInt64 = 8_000_000, maxFee: UInt256? = nil,
                  tip: UInt256 = .zero) throws -> TransactionOutcome {
        let tx = try Transaction.dynamicFee(chainID: chainID, nonce: try state.nonce(from.address), maxPriorityFeePerGas: tip, maxFeePerGas: maxFee ?? baseFee,
                                            gasLimit: gasLimit, to: to, value: value, data: data).signed(with: from)
        return try StateTransition.apply(tx, sender: from.address, context: block(), gasAvailable: 60_000_000, state: state, systemContracts: contracts)
    }

    func request(_ params: [UInt8], cap: UInt256, enclaves k: UInt8 = 1, type: UInt8 = 1, callback: Address = .zero, extra: UInt256 = .zero) throws -> (UInt256, UInt256) {
        let escrow = try requiredEscrow(callback: callback != .zero, cap: cap, enclaves: k) &+ extra
        let outcome = try transact(requester, to: NOSContract.address, data: try ABI.encodeCall(NOSContract.cappedRequestSignature,
                                                                                                 [.uint(UInt256(UInt64(type))), .bytes(params), .address(callback),
                                                                                                  .fixedBytes(try ABI.selector("onAnswer(uint256,uint64,bytes)")), .uint(cap), .uint(UInt256(UInt64(k)))]),
                                   value: escrow)
        XCTAssertTrue(outcome.succeeded, "request: \(String(decoding: outcome.output.dropFirst(68), as: UTF8.self))")
        return (try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: outcome.output).first?.uintValue), escrow)
    }

    func requiredEscrow(callback: Bool, cap: UInt256, enclaves k: UInt8) throws -> UInt256 {
        let out = try StateTransition.call(from: requester.address, to: NOSContract.address, value: .zero,
                                           input: try ABI.encodeCall("requiredEscrow(uint8,bool,uint256,uint8)", [.uint(.one), .bool(callback), .uint(cap), .uint(UInt256(UInt64(k)))]),
                                           gas: 1_000_000, context: block(), state: state, systemContracts: contracts)
        XCTAssertTrue(out.succeeded)
        return try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
    }

    func deliver(_ id: UInt256, _ params: [UInt8], data: [UInt8], error: UInt64 = 0, by i: Int, maxFee: UInt256? = nil, tip: UInt256 = .zero,
                 callback: Bool = false, k: UInt8 = 1) throws -> TransactionOutcome {
        let d = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: id, paramsHash: Keccak256.h256(params), error: error, data: data)
        let input = try ABI.encodeCall(NOSContract.deliverSignature, [.uint(id), .fixedBytes(Keccak256.hash(params)), .uint(UInt256(error)), .bytes(data),
                                                                      .bytes(try d.sign(with: enclaves[i]))])
        return try transact(relays[i], to: NOSContract.address, data: input, gasLimit: NOSContract.deliverGasLimit(dataBytes: data.count, callback: callback, enclaves: k),
                            maxFee: maxFee, tip: tip)
    }

    /// Callback contracts: one that returns, one that loops until its gas is gone, one that reverts,
    /// one that clears a storage slot (a refund the delivery transaction earns).
    enum Callback: CaseIterable {
        case none, returns, burnsAllGas, reverts, earnsRefund
        var code: [UInt8] {
            switch self {
            case .none, .returns: return [0x00]  // STOP
            case .burnsAllGas: return [0x5b, 0x60, 0x00, 0x56]  // JUMPDEST PUSH1 0 JUMP
            case .reverts: return [0x60, 0x00, 0x60, 0x00, 0xfd]  // REVERT(0, 0)
            case .earnsRefund: return [0x60, 0x00, 0x60, 0x00, 0x55, 0x00]  // SSTORE(0, 0) over a non-zero slot
            }
        }
    }

    func install(_ callback: Callback) throws -> Address {
        guard callback != .none else { return .zero }
        let address = try Address(hex: "0x00000000000000000000000000000000000c0de\(Callback.allCases.firstIndex(of: callback) ?? 0)")
        try state.setCode(address, callback.code)
        try state.setNonce(address, 1)
        if callback == .earnsRefund { try state.setStorage(address, slot: H256(word: .zero), UInt256(7)) }
        return address
    }

    func testARelayWithinTheCapEarnsExactlyTheOracleFeeAtEveryBaseFee() throws {
        let params = Array("https://example.com/price".utf8), answer = UInt256(123_456).bigEndianBytes
        let cap = UInt256(600) &* gwei
        for fee in [1, 2, 7, 30, 150, 300, 500] as [UInt64] {
            baseFee = UInt256(fee) &* gwei
            for callback in Callback.allCases {
                let target = try install(callback)
                let (id, escrow) = try request(params, cap: cap, callback: target)
                let relay = relays[0].address
                let relayBefore = try state.balance(relay), requesterBefore = try state.balance(requester.address)
                let coinbaseBefore = try state.balance(coinbase)
                // A tip within the cap: the relay pays baseFee + tip per gas and is reimbursed exactly that.
                let tip = fee % 2 == 0 ? gwei : .zero
                let outcome = try deliver(id, params, data: answer, by: 0, maxFee: cap, tip: tip, callback: target != .zero)
                XCTAssertTrue(outcome.succeeded, "\(fee) gwei, \(callback): \(String(decoding: outcome.output.dropFirst(68), as: UTF8.self))")
                let price = baseFee &+ tip
                XCTAssertEqual(outcome.effectiveGasPrice, price)
                XCTAssertEqual(try state.balance(relay), relayBefore &+ rules.minimumFee, "\(fee) gwei, \(callback): the relay earns the oracle fee, to the wei")
                let paid = rules.minimumFee &+ UInt256(outcome.gasUsed) &* price
                XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ (escrow &- paid),
                               "\(fee) gwei, \(callback): the requester pays the fee and the delivery's gas, nothing more")
                XCTAssertLessThanOrEqual(paid, rules.minimumFee &+ UInt256(outcome.gasUsed) &* cap)
                XCTAssertEqual(try state.balance(NOSContract.address), .zero, "nothing stays in escrow")
                XCTAssertEqual(try state.balance(coinbase), coinbaseBefore &+ UInt256(outcome.gasUsed) &* tip)
                if callback == .burnsAllGas {
                    XCTAssertGreaterThan(outcome.gasUsed, NOSContract.callbackGasLimit, "the callback's whole budget is paid back")
                }
            }
        }
    }

    func testARequesterNeverPaysAboveItsCapAndErrorsKeepTheirRule() throws {
        let params = Array("https://example.com/price".utf8), answer = UInt256(5).bigEndianBytes
        // The relay overpays (its price is above the cap): it is reimbursed at the cap only.
        baseFee = UInt256(400) &* gwei
        let cap = UInt256(300) &* gwei
        let (id, escrow) = try request(params, cap: UInt256(300) &* gwei, callback: try install(.burnsAllGas))
        let requesterBefore = try state.balance(requester.address), relayBefore = try state.balance(relays[0].address)
        let outcome = try deliver(id, params, data: answer, by: 0, maxFee: baseFee, callback: true)
        XCTAssertTrue(outcome.succeeded)
        let gas = UInt256(outcome.gasUsed)
        XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ escrow &- rules.minimumFee &- gas &* cap, "at most its cap per gas")
        XCTAssertEqual(try state.balance(relays[0].address), relayBefore &+ rules.minimumFee &+ gas &* cap &- gas &* baseFee,
                       "a relay that ignores the cap pays the difference itself")

        // An escrow short of requiredEscrow reverts, naming the amount.
        let needed = try requiredEscrow(callback: false, cap: cap, enclaves: 1)
        let short = try transact(requester, to: NOSContract.address,
                                 data: try ABI.encodeCall(NOSContract.cappedRequestSignature, [.uint(.one), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0]),
                                                                                              .uint(cap), .uint(.one)]),
                                 value: needed &- .one)
        XCTAssertFalse(short.succeeded)
        XCTAssertTrue(String(decoding: short.output, as: UTF8.self).contains("escrows at least \(needed) wei"))
        let tooMany = try transact(requester, to: NOSContract.address,
                                   data: try ABI.encodeCall(NOSContract.cappedRequestSignature, [.uint(.one), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0]),
                                                                                                .uint(cap), .uint(UInt256(8))]),
                                   value: needed)
        XCTAssertTrue(String(decoding: tooMany.output, as: UTF8.self).contains("enclaves must be 1…7"))

        // The requester's own mistakes (invalidParams, destinationNotAllowed): the deliverer earns its gas and the fee, no more;
        // the rest of the escrow goes back (an enclave told a source resolves to a forbidden address must not take it).
        baseFee = UInt256(100) &* gwei
        for error in [OracleErrorCode.invalidParams, .destinationNotAllowed] {
            let (mistaken, escrow2) = try request(params, cap: cap, extra: UInt256(12_345))
            let before = try state.balance(relays[0].address), requesterNow = try state.balance(requester.address)
            let failed = try deliver(mistaken, params, data: [], error: error.rawValue, by: 0)
            XCTAssertTrue(failed.succeeded)
            XCTAssertEqual(try state.balance(relays[0].address), before &+ rules.minimumFee, "\(error): the relay earns the fee only")
            XCTAssertEqual(try state.balance(requester.address), requesterNow &+ escrow2 &- rules.minimumFee &- UInt256(failed.gasUsed) &* baseFee,
                           "\(error): the rest of the escrow is the requester's")
        }
        // A source failure refunds all but the fee and the gas.
        let (failing, escrow3) = try request(params, cap: cap)
        let before3 = try state.balance(relays[0].address), requester3 = try state.balance(requester.address)
        let unavailable = try deliver(failing, params, data: [], error: OracleErrorCode.sourceUnavailable.rawValue, by: 0)
        XCTAssertEqual(try state.balance(relays[0].address), before3 &+ rules.minimumFee)
        XCTAssertEqual(try state.balance(requester.address), requester3 &+ escrow3 &- rules.minimumFee &- UInt256(unavailable.gasUsed) &* baseFee)
        XCTAssertEqual(try state.balance(NOSContract.address), .zero)
    }

    func testTheFourArgumentRequestCapsAtWhatItsValueCovers() throws {
        baseFee = UInt256(20) &* gwei
        let params = Array("https://example.com/x".utf8)
        let cap = UInt256(50) &* gwei
        let value = try requiredEscrow(callback: false, cap: cap, enclaves: 1)
        let out = try transact(requester, to: NOSContract.address, data: try ABI.encodeCall(NOSContract.requestSignature,
                                                                                             [.uint(.one), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0])]),
                               value: value)
        let id = try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
        let terms = try StateTransition.call(from: requester.address, to: NOSContract.address, value: .zero,
                                             input: try ABI.encodeCall("requestTerms(uint256)", [.uint(id)]), gas: 1_000_000, context: block(), state: state,
                                             systemContracts: contracts)
        let decoded = try ABI.decode([.uint(bits: 256), .uint(bits: 8), .uint(bits: 8), .uint(bits: 256)], from: terms.output)
        XCTAssertEqual(decoded, [.uint(cap), .uint(.one), .uint(.zero), .uint(value)])
    }

    func testThreeRelaysOfAKOfNRequestEachEarnTheFeeAndTheLiarIsOutvoted() throws {
        let params = Array("https://example.com/price".utf8)
        let honest = UInt256(100_000).bigEndianBytes, close = UInt256(100_500).bigEndianBytes, lie = UInt256(999_999).bigEndianBytes
        baseFee = UInt256(250) &* gwei
        let cap = UInt256(300) &* gwei
        let target = try install(.returns)
        let (id, escrow) = try request(params, cap: cap, enclaves: 3, callback: target)
        let requesterBefore = try state.balance(requester.address)
        var gasPaid = UInt256.zero
        for (i, answer) in [honest, lie, close].enumerated() {
            let before = try state.balance(relays[i].address)
            let outcome = try deliver(id, params, data: answer, by: i, callback: i == 2, k: 3)
            XCTAssertTrue(outcome.succeeded, String(decoding: outcome.output.dropFirst(68), as: UTF8.self))
            gasPaid = gasPaid &+ UInt256(outcome.gasUsed) &* baseFee
            XCTAssertEqual(try state.balance(relays[i].address), before &+ rules.minimumFee, "relay \(i) earns exactly the fee")
            if i == 0 {
                // The same enclave cannot answer twice.
                let again = try deliver(id, params, data: honest, by: 0, k: 3)
                XCTAssertFalse(again.succeeded)
                XCTAssertTrue(String(decoding: again.output, as: UTF8.self).contains("already answered"))
            }
        }
        let response = try StateTransition.call(from: requester.address, to: NOSContract.address, value: .zero,
                                                input: try ABI.encodeCall("getResponse(uint256)", [.uint(id)]), gas: 1_000_000, context: block(), state: state,
                                                systemContracts: contracts)
        XCTAssertEqual(try ABI.decode([.uint(bits: 8), .uint(bits: 64), .bytes], from: response.output), [.uint(UInt256(2)), .uint(.zero), .bytes(honest)],
                       "the median of the two answers within 1%; the liar is outside it")
        XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ escrow &- UInt256(3) &* rules.minimumFee &- gasPaid)
        XCTAssertEqual(try state.balance(NOSContract.address), .zero)
        // A late (fourth) answer reverts cheaply.
        let late = try deliver(id, params, data: honest, by: 0, k: 3)
        XCTAssertFalse(late.succeeded)
        XCTAssertLessThan(late.gasUsed, 60_000)
    }

    func view(_ sig: String, _ args: [ABIValue], _ types: [ABIType]) throws -> [ABIValue] {
        let out = try StateTransition.call(from: requester.address, to: NOSContract.address, value: .zero, input: try ABI.encodeCall(sig, args),
                                           gas: 1_000_000, context: block(), state: state, systemContracts: contracts)
        return try ABI.decode(types, from: out.output)
    }

    func testTextNeedsAMajorityDisagreementIsNoQuorumAndEveryAnswerIsStillPaid() throws {
        baseFee = UInt256(3) &* gwei
        let cap = UInt256(10) &* gwei
        let params = Array("https://example.com/name".utf8)
        let text = { (t: String) in try ABI.encode([.string(t)], types: [.string]) }
        // Three enclaves, two agree on text (longer than a word, kept once as a blob).
        let (id, _) = try request(params, cap: cap, enclaves: 3)
        for (i, t) in ["a name longer than sixty-four bytes, so it is stored as a blob and not as words", "liar",
                       "a name longer than sixty-four bytes, so it is stored as a blob and not as words"].enumerated() {
            XCTAssertTrue(try deliver(id, params, data: try text(t), by: i, k: 3).succeeded)
            if i == 0 { XCTAssertEqual(try view("answeredBy(uint256,address)", [.uint(id), .address(enclaves[0].publicKey.address)], [.bool]), [.bool(true)]) }
        }
        XCTAssertEqual(try view("getResponse(uint256)", [.uint(id)], [.uint(bits: 8), .uint(bits: 64), .bytes]),
                       [.uint(UInt256(2)), .uint(.zero), .bytes(try text("a name longer than sixty-four bytes, so it is stored as a blob and not as words"))])
        // Two enclaves that disagree: noQuorum, each relay still earns exactly the fee, the rest goes back.
        let (split, escrow) = try request(params, cap: cap, enclaves: 2)
        let requesterBefore = try state.balance(requester.address)
        var gas = UInt256.zero
        for (i, t) in ["one", "two"].enumerated() {
            let before = try state.balance(relays[i].address)
            let outcome = try deliver(split, params, data: try text(t), by: i, k: 2)
            XCTAssertTrue(outcome.succeeded)
            gas = gas &+ UInt256(outcome.gasUsed) &* baseFee
            XCTAssertEqual(try state.balance(relays[i].address), before &+ rules.minimumFee)
        }
        XCTAssertEqual(try view("getResponse(uint256)", [.uint(split)], [.uint(bits: 8), .uint(bits: 64), .bytes]),
                       [.uint(UInt256(2)), .uint(UInt256(OracleErrorCode.noQuorum.rawValue)), .bytes([])])
        XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ escrow &- UInt256(2) &* rules.minimumFee &- gas)
        XCTAssertEqual(try state.balance(NOSContract.address), .zero)
    }

    func testKOfNNeedsDistinctPlatformsAndACancelRefundsWhatIsLeft() throws {
        // A second enclave on the first enclave's platform, registered by another account.
        let twin = SimulatedEnclave(name: "ankr-oracle-v1", platform: enclaves[0].platform)
        let evidence = try twin.attest(userData: EnclaveRegistry.registrationBinding(chainID: chainID, registrant: relays[1].address, role: .oracle))
        let registry = try XCTUnwrap(contracts.contract(at: EnclaveRegistry.address))
        _ = try registry.call(SystemCall(address: EnclaveRegistry.address, caller: relays[1].address, value: .zero,
                                         input: try ABI.encodeCall("register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(EnclaveRole.oracle.rawValue)))]),
                                         gasAvailable: 2_000_000, block: block()), state: state)
        let params = Array("https://example.com/price".utf8), answer = UInt256(10).bigEndianBytes
        let cap = UInt256(2) &* gwei
        let (other, otherEscrow) = try request(params, cap: cap, enclaves: 2)
        XCTAssertTrue(try deliver(other, params, data: answer, by: 0, k: 2).succeeded)
        // The twin's answer (carried by relays[1]): refused, its platform has answered already.
        let signed = try OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: other, paramsHash: Keccak256.h256(params), error: 0,
                                        data: answer).sign(with: twin)
        let sameBox = try transact(relays[1], to: NOSContract.address,
                                   data: try ABI.encodeCall(NOSContract.deliverSignature, [.uint(other), .fixedBytes(Keccak256.hash(params)), .uint(.zero),
                                                                                           .bytes(answer), .bytes(signed)]),
                                   gasLimit: NOSContract.deliverGasLimit(dataBytes: answer.count, enclaves: 2))
        XCTAssertFalse(sameBox.succeeded)
        XCTAssertTrue(String(decoding: sameBox.output, as: UTF8.self).contains("distinct platforms"))
        // Cancelled after one answer: what is left of the escrow, less the cancellation fee, comes back.
        let left = try XCTUnwrap(try view("requestTerms(uint256)", [.uint(other)], [.uint(bits: 256), .uint(bits: 8), .uint(bits: 8), .uint(bits: 256)]).last?.uintValue)
        XCTAssertLessThan(left, otherEscrow)
        let before = try state.balance(requester.address)
        let cancel = try transact(requester, to: NOSContract.address, data: try ABI.encodeCall("cancel(uint256)", [.uint(other)]))
        XCTAssertTrue(cancel.succeeded)
        XCTAssertEqual(try state.balance(requester.address), before &+ left &- rules.cancellationFee &- UInt256(cancel.gasUsed) &* baseFee)
        XCTAssertEqual(try state.balance(NOSContract.address), .zero)
    }

    func testPaddedCalldataCannotDrawOnTheEscrowBeyondAnHonestDeliverysGasLimit() throws {
        baseFee = UInt256(50) &* gwei
        let cap = UInt256(100) &* gwei
        let params = Array("https://example.com/price".utf8), answer = UInt256(77).bigEndianBytes
        let (id, escrow) = try request(params, cap: cap)
        let d = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: id, paramsHash: Keccak256.h256(params), error: 0, data: answer)
        let input = try ABI.encodeCall(NOSContract.deliverSignature, [.uint(id), .fixedBytes(Keccak256.hash(params)), .uint(.zero), .bytes(answer),
                                                                      .bytes(try d.sign(with: enclaves[0]))]) + [UInt8](repeating: 1, count: 60_000)
        let requesterBefore = try state.balance(requester.address)
        let outcome = try transact(relays[0], to: NOSContract.address, data: input, gasLimit: 2_000_000)
        XCTAssertTrue(outcome.succeeded)
        let limit = NOSContract.deliverGasLimit(dataBytes: answer.count)
        XCTAssertGreaterThan(outcome.gasUsed, limit, "the padding costs its sender more than an honest delivery's limit")
        XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ escrow &- rules.minimumFee &- UInt256(limit) &* baseFee,
                       "the requester pays no more than an honest delivery's gas limit")
    }

    func testATipAboveMaxReimbursedTipIsNotReimbursed() throws {
        baseFee = UInt256(10) &* gwei
        let cap = UInt256(100) &* gwei, tip = UInt256(40) &* gwei
        let params = Array("https://example.com/price".utf8), answer = UInt256(9).bigEndianBytes
        let (id, escrow) = try request(params, cap: cap)
        let relayBefore = try state.balance(relays[0].address), requesterBefore = try state.balance(requester.address)
        // The sender is also the block's producer here in spirit: the coinbase earns the tip, the escrow pays at most 2 gwei of it.
        let outcome = try deliver(id, params, data: answer, by: 0, maxFee: cap, tip: tip)
        XCTAssertTrue(outcome.succeeded)
        let gas = UInt256(outcome.gasUsed), reimbursed = baseFee &+ rules.maxReimbursedTip
        XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ escrow &- rules.minimumFee &- gas &* reimbursed)
        XCTAssertEqual(try state.balance(relays[0].address), relayBefore &+ rules.minimumFee &- gas &* (tip &- rules.maxReimbursedTip))
        XCTAssertEqual(try state.balance(NOSContract.address), .zero)
    }

    func testAnAccessListsGasIsNotReimbursed() throws {
        baseFee = UInt256(10) &* gwei
        let cap = UInt256(100) &* gwei
        let params = Array("https://example.com/price".utf8), answer = UInt256(9).bigEndianBytes
        let (id, escrow) = try request(params, cap: cap)
        let d = OracleDatagram(chainID: chainID, contract: NOSContract.address, requestID: id, paramsHash: Keccak256.h256(params), error: 0, data: answer)
        let input = try ABI.encodeCall(NOSContract.deliverSignature, [.uint(id), .fixedBytes(Keccak256.hash(params)), .uint(.zero), .bytes(answer),
                                                                      .bytes(try d.sign(with: enclaves[0]))])
        // 20 padding entries of 2 keys: 20 × (2,400 + 2 × 1,900) = 124,000 gas the sender pays and the escrow does not.
        var list = [AccessListEntry]()
        for i in 0..<UInt64(20) {
            let keys: [H256] = [H256(word: UInt256(2 * i)), H256(word: UInt256(2 * i + 1))]
            list.append(AccessListEntry(address: coinbase, storageKeys: keys))
        }
        let tx = try Transaction.dynamicFee(chainID: chainID, nonce: try state.nonce(relays[0].address), maxPriorityFeePerGas: .zero, maxFeePerGas: baseFee,
                                            gasLimit: 1_000_000, to: NOSContract.address, value: .zero, data: input, accessList: list).signed(with: relays[0])
        let requesterBefore = try state.balance(requester.address), relayBefore = try state.balance(relays[0].address)
        let outcome = try StateTransition.apply(tx, sender: relays[0].address, context: block(), gasAvailable: 60_000_000, state: state, systemContracts: contracts)
        XCTAssertTrue(outcome.succeeded)
        let listGas = UInt256(124_000)
        XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ escrow &- rules.minimumFee &- (UInt256(outcome.gasUsed) &- listGas) &* baseFee)
        XCTAssertEqual(try state.balance(relays[0].address), relayBefore &+ rules.minimumFee &- listGas &* baseFee)
    }

    func testOnlyThePublishedEnclaveAnswersAPrivateRequest() throws {
        let params = Array("sealed params".utf8), cap = UInt256(5) &* gwei
        let privateType = UInt256(UInt64(1 | OracleRequestKind.privateFlag))
        let call = { (k: UInt8) in
            try ABI.encodeCall(NOSContract.cappedRequestSignature, [.uint(privateType), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0]),
                                                                    .uint(cap), .uint(UInt256(UInt64(k)))])
        }
        let escrow = try requiredEscrow(callback: false, cap: cap, enclaves: 2)
        let unpublished = try transact(requester, to: NOSContract.address, data: try call(1), value: escrow)
        XCTAssertFalse(unpublished.succeeded)
        XCTAssertTrue(String(decoding: unpublished.output, as: UTF8.self).contains("no oracle enclave is published"))
        XCTAssertTrue(try transact(relays[0], to: NOSContract.address,
                                   data: try ABI.encodeCall("registerOracle(address)", [.address(enclaves[0].publicKey.address)])).succeeded)
        let quorum = try transact(requester, to: NOSContract.address, data: try call(2), value: escrow)
        XCTAssertFalse(quorum.succeeded)
        XCTAssertTrue(String(decoding: quorum.output, as: UTF8.self).contains("enclaves must be 1"))
        let made = try transact(requester, to: NOSContract.address, data: try call(1), value: escrow)
        XCTAssertTrue(made.succeeded)
        let id = try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: made.output).first?.uintValue)
        XCTAssertEqual(try view("requestTerms(uint256)", [.uint(id)], [.uint(bits: 256), .uint(bits: 8), .uint(bits: 8), .uint(bits: 256), .address]).last,
                       .address(enclaves[0].publicKey.address))
        // Another registered enclave, validly signing "these params are not for me", is refused; the sealed-to one is accepted.
        let other = try deliver(id, params, data: [], error: OracleErrorCode.invalidParams.rawValue, by: 1)
        XCTAssertFalse(other.succeeded)
        XCTAssertTrue(String(decoding: other.output, as: UTF8.self).contains("is private, sealed to enclave"))
        XCTAssertTrue(try deliver(id, params, data: UInt256(1).bigEndianBytes, by: 0).succeeded)
    }

    func testARecordOlderThanGasCapsIsCappedAtWhatItsEscrowImplies() throws {
        baseFee = UInt256(10) &* gwei
        let params = Array("https://example.com/price".utf8)
        let (id, escrow) = try request(params, cap: UInt256(50) &* gwei)
        // As a record from before caps and k-of-n: no cap, no enclaves, no escrow-left word.
        for k in [8, 9, 11] { try state.setStorage(NOSContract.address, slot: H256(word: SystemStorage.slot(UInt256(10), id) &+ UInt256(UInt64(k))), .zero) }
        let implied = (escrow &- rules.minimumFee) / UInt256(NOSContract.worstDeliveryGas(callback: false, enclaves: 1))
        XCTAssertEqual(try view("requestTerms(uint256)", [.uint(id)], [.uint(bits: 256), .uint(bits: 8), .uint(bits: 8), .uint(bits: 256), .address]).first,
                       .uint(implied))
        let relayBefore = try state.balance(relays[0].address)
        XCTAssertTrue(try deliver(id, params, data: UInt256(3).bigEndianBytes, by: 0).succeeded)
        XCTAssertEqual(try state.balance(relays[0].address), relayBefore &+ rules.minimumFee, "its gas is reimbursed at the implied cap")
    }

    func testTheRelayPricesADeliveryWithinTheCap() {
        let g = gwei
        // Room for the base fee to double, within the cap; the tip only as far as it fits.
        XCTAssertEqual(OracleRelay.deliveryPrice(cap: UInt256(100) &* g, baseFee: UInt256(10) &* g, tip: g).maxFee, UInt256(21) &* g)
        XCTAssertEqual(OracleRelay.deliveryPrice(cap: UInt256(100) &* g, baseFee: UInt256(10) &* g, tip: g).tip, g)
        XCTAssertEqual(OracleRelay.deliveryPrice(cap: UInt256(15) &* g, baseFee: UInt256(10) &* g, tip: g).maxFee, UInt256(15) &* g)
        let tight = OracleRelay.deliveryPrice(cap: UInt256(10) &* g &+ UInt256(5), baseFee: UInt256(10) &* g, tip: g)
        XCTAssertEqual(tight.maxFee, UInt256(10) &* g &+ UInt256(5))
        XCTAssertEqual(tight.tip, UInt256(5), "a tip never lifts the price above the cap")
        // A node's absurd values saturate instead of trapping.
        XCTAssertEqual(OracleRelay.deliveryPrice(cap: .max, baseFee: .max, tip: .max).maxFee, .max)
        XCTAssertEqual(OracleRelay.deliveryPrice(cap: .zero, baseFee: UInt256(7), tip: .one).tip, .zero)
    }
}
