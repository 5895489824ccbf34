import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// The NOS contract on a main-chain state: oracle enclaves registered in the EnclaveRegistry,
/// requests, deliveries that cannot be forged, replayed or misdirected, and fee accounting to the wei.
final class NOSContractTests: XCTestCase {
    let requester = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let relay = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let treasury = try! Address(hex: "0x00000000000000000000000000000000000000ee")
    let rootKey = try! PrivateKey(hex: "0x" + String(repeating: "0a", count: 32))
    let chainID: UInt64 = 7331
    var rules = OracleRules()
    var state: WorldState!
    var contract: NOSContract!
    var registry: EnclaveRegistry!
    var enclave: SimulatedEnclave!
    let enclaveKey = PrivateKey.random()
    var now: UInt64 = 0
    /// Seconds a registration lives in these tests.
    static let registrationPeriod: UInt64 = 1_000

    override func setUpWithError() throws {
        var attestation = AttestationRules()
        attestation.registrationPeriod = Self.registrationPeriod
        attestation.oracle.attestationRoots = [rootKey.publicKey.compressed]
        attestation.oracle.measurements = [SimulatedEnclave.measurement(named: "ankr-oracle-v1")]
        attestation.oracle.allowSimulatedAttestation = true
        attestation.miner = attestation.oracle
        attestation.miner.measurements = [SimulatedEnclave.measurement(named: "ankr-miner-v1")]
        registry = EnclaveRegistry(rules: attestation)
        rules.minimumFee = UInt256(1_000)
        rules.cancellationFee = UInt256(100)
        rules.treasury = treasury
        contract = NOSContract(rules: rules)
        state = WorldState()
        now = UInt64(Date().timeIntervalSince1970)
        for k in [requester, relay] { try state.setBalance(k.address, UInt256(1_000_000)) }
        let platform = try SimulatedPlatform(id: Keccak256.h256([7]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: rootKey))
        enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform, key: enclaveKey)
    }

    @discardableResult
    func send(_ from: PrivateKey, _ sig: String, _ args: [ABIValue] = [], value: UInt256 = .zero, chain: UInt64? = nil,
              host: ContractHost? = nil, gas: UInt64 = 10_000_000, baseFee: UInt256 = .zero) throws -> SystemCallResult {
        let mark = state.snapshot()
        do {
            try state.subtractBalance(from.address, value)
            try state.addBalance(NOSContract.address, value)
            let block = BlockContext(chainID: chain ?? chainID, coinbase: .zero, number: 5, timestamp: now, gasLimit: 30_000_000, baseFee: baseFee)
            return try contract.call(SystemCall(address: NOSContract.address, caller: from.address, value: value, input: ABI.encodeCall(sig, args),
                                                gasAvailable: gas, block: block, host: host), state: state)
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    /// Registers `e` in the EnclaveRegistry for `role`, by `registrant`, at `now`.
    func enroll(_ e: Enclave, as role: EnclaveRole = .oracle, by registrant: PrivateKey) throws {
        let evidence = try e.attest(userData: EnclaveRegistry.registrationBinding(chainID: chainID, registrant: registrant.address, role: role))
        let block = BlockContext(chainID: chainID, coinbase: .zero, number: 5, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
        let input = try ABI.encodeCall("register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(role.rawValue)))])
        _ = try registry.call(SystemCall(address: EnclaveRegistry.address, caller: registrant.address, value: .zero, input: input,
                                         gasAvailable: 1_000_000, block: block), state: state)
    }

    /// Registers `e` as an oracle by `payee` and publishes it with NOS.
    func register(_ e: SimulatedEnclave, payee: PrivateKey) throws {
        try enroll(e, by: payee)
        try send(payee, "registerOracle(address)", [.address(e.publicKey.address)])
    }

    let requestSig = "request(uint8,bytes,address,bytes4)"
    let deliverSig = "deliver(uint256,bytes32,uint64,bytes,bytes)"

    func request(_ params: [UInt8], fee: UInt64) throws -> UInt256 {
        let out = try send(requester, requestSig, [.uint(UInt256(1)), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0])], value: UInt256(fee))
        return try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
    }

    func deliverArgs(_ id: UInt256, _ params: [UInt8], error: UInt64 = 0, data: [UInt8], signer: SimulatedEnclave? = nil, chain: UInt64? = nil) throws -> [ABIValue] {
        let d = OracleDatagram(chainID: chain ?? chainID, contract: NOSContract.address, requestID: id, paramsHash: Keccak256.h256(params), error: error, data: data)
        return [.uint(id), .fixedBytes(Keccak256.hash(params)), .uint(UInt256(error)), .bytes(data), .bytes(try d.sign(with: signer ?? enclave))]
    }

    func testPublishingAnOracleNeedsALiveOracleRegistrationByTheCaller() throws {
        let publish = "registerOracle(address)"
        assertReverts("\(enclave.publicKey.address.checksummed) is not a registered oracle enclave") {
            try self.send(self.relay, publish, [.address(self.enclave.publicKey.address)])
        }
        // The registry refuses code genesis does not allow for the role; a miner enclave is no oracle.
        assertReverts("attestation") { try self.enroll(SimulatedEnclave(name: "something-else", platform: self.enclave.platform), by: self.relay) }
        let miner = SimulatedEnclave(name: "ankr-miner-v1", platform: enclave.platform)
        try enroll(miner, as: .miner, by: relay)
        assertReverts("registered as a miner enclave, not an oracle enclave") { try self.send(self.relay, publish, [.address(miner.publicKey.address)]) }
        // Only the account that registered the enclave (its payee) may publish it.
        try enroll(enclave, by: relay)
        assertReverts("only that account may publish it") { try self.send(self.requester, publish, [.address(self.enclave.publicKey.address)]) }
        let published = try send(relay, publish, [.address(enclave.publicKey.address)])
        XCTAssertEqual(published.logs.first?.topics, [try XCTUnwrap(NOSContract.interface.event(named: "OracleRegistered")?.topic),
                                                       H256(word: enclave.publicKey.address.word), H256(word: relay.address.word)])
        let key = try ABI.decode([.address, .bytes], from: try send(relay, "oracleKey()").output)
        XCTAssertEqual(key, [.address(enclave.publicKey.address), .bytes(enclave.publicKey.compressed)])
        // Once the registration has expired it can no longer be published.
        now += Self.registrationPeriod
        assertReverts("is not a registered oracle enclave") { try self.send(self.relay, publish, [.address(self.enclave.publicKey.address)]) }
    }

    func testDeliveriesAreCheckedAndFeesSettleToTheWei() throws {
        try register(enclave, payee: relay)
        let params = Array("{\"url\":\"https://x\"}".utf8)
        assertReverts("minimum fee") { _ = try self.request(params, fee: 999) }
        assertReverts("unknown request type") {
            try self.send(self.requester, self.requestSig, [.uint(UInt256(9)), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0])], value: UInt256(5_000))
        }
        let requesterStart = try state.balance(requester.address), relayStart = try state.balance(relay.address)
        let id = try request(params, fee: 5_000)
        let data = try ABI.encode([.uint(UInt256(1234))], types: [.uint(bits: 256)])

        // Forged, misdirected, replayed and unregistered deliveries are all refused.
        let other = SimulatedEnclave(name: "ankr-oracle-v1", platform: enclave.platform)
        assertReverts("not a registered oracle") { try self.send(self.relay, self.deliverSig, try self.deliverArgs(id, params, data: data, signer: other)) }
        assertReverts("not a registered oracle") {
            var args = try self.deliverArgs(id, params, data: data)
            args[3] = .bytes(try ABI.encode([.uint(UInt256(9999))], types: [.uint(bits: 256)]))  // altered answer
            try self.send(self.relay, self.deliverSig, args)
        }
        assertReverts("not a registered oracle") { try self.send(self.relay, self.deliverSig, try self.deliverArgs(id, params, data: data, chain: 1)) }
        let miner = SimulatedEnclave(name: "ankr-miner-v1", platform: enclave.platform)
        try enroll(miner, as: .miner, by: relay)
        assertReverts("registered as a miner enclave, not an oracle enclave") {
            try self.send(self.relay, self.deliverSig, try self.deliverArgs(id, params, data: data, signer: miner))
        }
        assertReverts("params hash") { try self.send(self.relay, self.deliverSig, try self.deliverArgs(id, Array("other".utf8), data: data)) }
        assertReverts("not pending") { try self.send(self.relay, self.deliverSig, try self.deliverArgs(id &+ .one, params, data: data)) }

        try send(requester, deliverSig, try deliverArgs(id, params, data: data))  // anyone may carry it; the payee is paid
        assertReverts("not pending") { try self.send(self.relay, self.deliverSig, try self.deliverArgs(id, params, data: data)) }
        let response = try ABI.decode([.uint(bits: 8), .uint(bits: 64), .bytes], from: try send(relay, "getResponse(uint256)", [.uint(id)]).output)
        XCTAssertEqual(response, [.uint(UInt256(2)), .uint(.zero), .bytes(data)])
        XCTAssertEqual(try state.balance(relay.address), relayStart &+ UInt256(1_000), "the oracle earns the minimum fee")
        XCTAssertEqual(try state.balance(requester.address), requesterStart &- UInt256(1_000), "the requester pays only the minimum fee")
        XCTAssertEqual(try state.balance(NOSContract.address), .zero)

        // A source failure refunds all but the minimum fee; so does the requester's own mistake (no one else earns the rest).
        let failed = try request(params, fee: 3_000)
        try send(relay, deliverSig, try deliverArgs(failed, params, error: OracleErrorCode.sourceUnavailable.rawValue, data: []))
        let mistaken = try request(params, fee: 3_000)
        try send(relay, deliverSig, try deliverArgs(mistaken, params, error: OracleErrorCode.invalidParams.rawValue, data: []))
        XCTAssertEqual(try state.balance(relay.address), relayStart &+ UInt256(1_000 + 1_000 + 1_000))
        XCTAssertEqual(try state.balance(requester.address), requesterStart &- UInt256(1_000 + 1_000 + 1_000))

        // Cancelling refunds all but the cancellation fee, which goes to the treasury; only the requester, only while pending.
        let cancelled = try request(params, fee: 2_000)
        assertReverts("only the requester") { try self.send(self.relay, "cancel(uint256)", [.uint(cancelled)]) }
        try send(requester, "cancel(uint256)", [.uint(cancelled)])
        assertReverts("not pending") { try self.send(self.relay, self.deliverSig, try self.deliverArgs(cancelled, params, data: data)) }
        XCTAssertEqual(try state.balance(treasury), UInt256(100))
        XCTAssertEqual(try state.balance(requester.address), requesterStart &- UInt256(1_000 + 1_000 + 1_000 + 100))
        XCTAssertEqual(try state.balance(NOSContract.address), .zero, "the contract holds nothing once every request is settled")
    }

    func testADeliveryAfterTheRegistrationExpiresIsRefusedUntilRenewed() throws {
        try register(enclave, payee: relay)
        let params = Array("https://example.com/x".utf8), data = UInt256(7).bigEndianBytes
        let first = try request(params, fee: 2_000), second = try request(params, fee: 2_000)
        let registeredAt = now
        now = registeredAt + Self.registrationPeriod - 1
        try send(relay, deliverSig, try deliverArgs(first, params, data: data))  // the registration's last second
        now = registeredAt + Self.registrationPeriod
        assertReverts("\(enclave.publicKey.address.checksummed) is not a registered oracle enclave") {
            try self.send(self.relay, self.deliverSig, try self.deliverArgs(second, params, data: data))
        }
        // The same key registered again (fresh evidence at the new time) answers again, and its registrant is paid.
        try enroll(SimulatedEnclave(name: "ankr-oracle-v1", platform: enclave.platform, key: enclaveKey, clock: { [now] in now }), by: relay)
        let relayBefore = try state.balance(relay.address)
        try send(requester, deliverSig, try deliverArgs(second, params, data: data))
        XCTAssertEqual(try state.balance(relay.address), relayBefore &+ rules.minimumFee)
    }

    func testAHostileDeliveryPaysForTheSignerCheckWhateverTheKey() throws {
        try register(enclave, payee: relay)
        let params = Array("https://example.com/x".utf8), data = UInt256(7).bigEndianBytes
        let id = try request(params, fee: 2_000)
        let miner = SimulatedEnclave(name: "ankr-miner-v1", platform: enclave.platform)
        try enroll(miner, as: .miner, by: relay)
        func gasOfRevert(_ signer: SimulatedEnclave, gas: UInt64 = 10_000_000) throws -> UInt64 {
            do { try send(relay, deliverSig, try deliverArgs(id, params, data: data, signer: signer), gas: gas) } catch SystemCallError.reverted(_, let gasUsed) {
                return gasUsed
            }
            XCTFail("the delivery was accepted")
            return 0
        }
        let unregistered = try gasOfRevert(SimulatedEnclave(name: "ankr-oracle-v1", platform: enclave.platform)), otherRole = try gasOfRevert(miner)
        XCTAssertEqual(unregistered, otherRole, "the registry's answer does not change the price")
        XCTAssertGreaterThan(unregistered, NOSContract.signerCheckGas, "the recovery and the lookup are paid for")
        XCTAssertLessThan(unregistered, NOSContract.deliverGasLimit(dataBytes: data.count), "a refused delivery fits the relay's gas limit")
        // With too little gas for the check, the call runs out before recovering anything.
        XCTAssertThrowsError(try send(relay, deliverSig, try deliverArgs(id, params, data: data, signer: miner), gas: unregistered - NOSContract.signerCheckGas)) {
            XCTAssertEqual($0 as? SystemCallError, .outOfGas)
        }
        let response = try ABI.decode([.uint(bits: 8)], from: Array(try send(requester, "getResponse(uint256)", [.uint(id)]).output.prefix(32)))
        XCTAssertEqual(response, [.uint(UInt256(NOSContract.Status.pending.rawValue))])
    }

    /// Stands in for the EVM: records the calls NOS makes and answers with a set outcome.
    final class RecordingHost: ContractHost {
        var calls: [(from: Address, to: Address, input: [UInt8], gas: UInt64)] = []
        var outcome = ContractCallResult(succeeded: true, output: [], gasUsed: 40_000)
        func call(from: Address, to: Address, input: [UInt8], gas: UInt64) -> ContractCallResult {
            calls.append((from, to, input, gas))
            return outcome
        }
    }

    func testDeliveryCallsTheRequesterBackWithItsGasPaidFromTheFee() throws {
        try register(enclave, payee: relay)
        let callback = try Address(hex: "0x00000000000000000000000000000000000000cb")
        let selector = try ABI.selector("onAnswer(uint256,uint64,bytes)")
        let params = Array("https://example.com/x".utf8)
        let fee = UInt256(400_000)
        let out = try send(requester, requestSig, [.uint(UInt256(1)), .bytes(params), .address(callback), .fixedBytes(selector)], value: fee)
        let id = try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: out.output).first?.uintValue)
        let host = RecordingHost()
        let data = UInt256(42).bigEndianBytes

        // Too little gas for the callback's fixed budget: refused, so no relay can starve a callback.
        assertReverts("callback") {
            try self.send(self.relay, self.deliverSig, try self.deliverArgs(id, params, data: data), host: host, gas: 400_000, baseFee: UInt256(7))
        }
        XCTAssertTrue(host.calls.isEmpty)

        let relayBefore = try state.balance(relay.address), requesterBefore = try state.balance(requester.address)
        let delivered = try send(relay, deliverSig, try deliverArgs(id, params, data: data), host: host,
                                 gas: NOSContract.deliverGasLimit(dataBytes: data.count, callback: true), baseFee: UInt256(7))
        let call = try XCTUnwrap(host.calls.first)
        XCTAssertEqual(host.calls.count, 1)
        XCTAssertEqual(call.from, NOSContract.address)
        XCTAssertEqual(call.to, callback)
        XCTAssertEqual(call.gas, NOSContract.callbackGasLimit)
        XCTAssertEqual(call.input, selector + (try ABI.encode([.uint(id), .uint(.zero), .bytes(data)], types: [.uint(bits: 256), .uint(bits: 64), .bytes])))
        XCTAssertGreaterThanOrEqual(delivered.gasUsed, 40_000, "the callback's gas is part of deliver's")
        // The oracle earns the minimum fee; the gas (the callback's included) is reimbursed at the
        // request's cap, which a 400,000 wei escrow puts at zero (NOSFeeTests prices real transactions).
        XCTAssertEqual(try state.balance(relay.address), relayBefore &+ rules.minimumFee)
        XCTAssertEqual(try state.balance(requester.address), requesterBefore &+ (fee &- rules.minimumFee))
        XCTAssertEqual(try state.balance(NOSContract.address), .zero)
        let result = try XCTUnwrap(delivered.logs.first { $0.topics.first == NOSContract.interface.event(named: "CallbackResult")?.topic })
        XCTAssertEqual(Array(result.data.prefix(32)), UInt256.one.bigEndianBytes, "success")

        // A failing callback is reported, and the answer stays delivered.
        host.outcome = ContractCallResult(succeeded: false, output: [], gasUsed: NOSContract.callbackGasLimit)
        let second = try send(requester, requestSig, [.uint(UInt256(1)), .bytes(params), .address(callback), .fixedBytes(selector)], value: fee)
        let id2 = try XCTUnwrap(ABI.decode([.uint(bits: 256)], from: second.output).first?.uintValue)
        let failed = try send(relay, deliverSig, try deliverArgs(id2, params, data: data), host: host,
                              gas: NOSContract.deliverGasLimit(dataBytes: data.count, callback: true))
        let report = try XCTUnwrap(failed.logs.first { $0.topics.first == NOSContract.interface.event(named: "CallbackResult")?.topic })
        XCTAssertEqual(Array(report.data.prefix(32)), UInt256.zero.bigEndianBytes)
        let response = try send(requester, "getResponse(uint256)", [.uint(id2)])
        XCTAssertEqual(try ABI.decode([.uint(bits: 8)], from: Array(response.output.prefix(32))).first?.uintValue, UInt256(2))
    }

    func testShippedABIJSONMatchesTheInterface() throws {
        let abi = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("abi/NOS.json")
        XCTAssertEqual(try String(contentsOf: abi, encoding: .utf8), NOSContract.interface.json, "regenerate with `ankr oracle abi > abi/NOS.json`")
    }
}
