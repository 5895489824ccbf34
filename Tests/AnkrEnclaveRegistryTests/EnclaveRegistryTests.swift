import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// The EnclaveRegistry with simulated evidence: registration and read-back, expiry and renewal,
/// bindings to chain, registrant and role, and hostile input on every entry point.
final class EnclaveRegistryTests: XCTestCase {
    static let chainID: UInt64 = 7331
    let root = DevelopmentAttestationRoot(key: try! PrivateKey(hex: "0x" + String(repeating: "0d", count: 32)))
    let operatorKey = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let stranger = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    var state = WorldState()
    var now: UInt64 = 1_800_000_000

    var rules: AttestationRules {
        var r = AttestationRules()
        r.registrationPeriod = 86_400
        r.miner.attestationRoots = [root.publicKey]
        r.miner.measurements = [SimulatedEnclave.measurement(named: "miner")]
        r.miner.allowSimulatedAttestation = true
        r.oracle.attestationRoots = [root.publicKey]
        r.oracle.measurements = [SimulatedEnclave.measurement(named: "oracle")]
        r.oracle.allowSimulatedAttestation = true
        return r
    }

    override func setUp() { state = WorldState() }

    func enclave(_ name: String, key: PrivateKey = .random()) throws -> SimulatedEnclave {
        let platform = try SimulatedPlatform(id: Keccak256.h256(Array("platform-\(name)".utf8)), key: try PrivateKey(hex: "0x" + String(repeating: "3c", count: 32)),
                                             root: root)
        let t = now
        return SimulatedEnclave(name: name, platform: platform, key: key, clock: { t })
    }

    func evidence(_ e: SimulatedEnclave, for registrant: Address, role: EnclaveRole, chainID: UInt64 = chainID) throws -> [UInt8] {
        try e.attest(userData: EnclaveRegistry.registrationBinding(chainID: chainID, registrant: registrant, role: role)).encoded
    }

    /// Calls `name` as `from`; a revert undoes its changes and comes back as the error.
    @discardableResult
    func send(_ from: Address, _ name: String, _ args: [ABIValue], gas: UInt64 = 20_000_000,
              registry: EnclaveRegistry? = nil) throws -> (out: [ABIValue], result: SystemCallResult) {
        let f = try XCTUnwrap(EnclaveRegistry.interface.functions.first { $0.name == name })
        let result = try call(from, try ABI.encodeCall(f.signature, args), gas: gas, registry: registry)
        return (try ABI.decode(f.outputTypes, from: result.output), result)
    }

    func call(_ from: Address, _ input: [UInt8], gas: UInt64 = 20_000_000, registry: EnclaveRegistry? = nil) throws -> SystemCallResult {
        let mark = state.snapshot()
        do {
            let block = BlockContext(chainID: Self.chainID, coinbase: .zero, number: 9, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
            return try (registry ?? EnclaveRegistry(rules: rules)).call(
                SystemCall(address: EnclaveRegistry.address, caller: from, value: .zero, input: input, gasAvailable: gas, block: block), state: state)
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    func assertRevertsChargingGas(_ expression: @autoclosure () throws -> Any, containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard case SystemCallError.reverted(let why, let gas) = error else { return XCTFail("\(error) is not a revert", file: file, line: line) }
            XCTAssertTrue(why.contains(text), "\(why) does not say \(text)", file: file, line: line)
            XCTAssertGreaterThan(gas, 0, "a revert still charges gas", file: file, line: line)
        }
    }

    func testRegistrationIsReadBackAndLivesItsPeriod() throws {
        let miner = try enclave("miner")
        let out = try send(operatorKey.address, "register", [.bytes(try evidence(miner, for: operatorKey.address, role: .miner)), .uint(.zero)])
        XCTAssertEqual(out.out, [.address(miner.publicKey.address)])
        XCTAssertEqual(out.result.logs.count, 1)
        XCTAssertEqual(out.result.logs.first?.topics.first, EnclaveRegistry.interface.event(named: "EnclaveRegistered")?.topic)

        let r = try XCTUnwrap(EnclaveRegistry.registration(of: miner.publicKey.address, role: .miner, state: state, time: now))
        XCTAssertEqual(r, EnclaveRegistration(enclave: miner.publicKey.address, key: miner.publicKey.compressed, role: .miner,
                                              registrant: operatorKey.address, format: .simulated, measurement: miner.measurement,
                                              signer: miner.signer, platformID: miner.platform.id, tcbStatus: nil,
                                              registeredAt: now, expiresAt: now + 86_400))
        // Another role sees nothing; the registration dies at its expiry.
        XCTAssertNil(EnclaveRegistry.registration(of: miner.publicKey.address, role: .oracle, state: state, time: now))
        XCTAssertNotNil(EnclaveRegistry.registration(of: miner.publicKey.address, role: .miner, state: state, time: now + 86_399))
        XCTAssertNil(EnclaveRegistry.registration(of: miner.publicKey.address, role: .miner, state: state, time: now + 86_400))

        // The view says the same, with `live` following the block time.
        let view = try send(stranger.address, "registration", [.address(miner.publicKey.address), .uint(.zero)]).out
        XCTAssertEqual(Array(view.prefix(4)), [.address(operatorKey.address), .uint(UInt256(now)), .uint(UInt256(now + 86_400)), .bool(true)])
        XCTAssertEqual(view[4], .bytes(miner.publicKey.compressed))
        XCTAssertEqual(view[5], .string("simulated"))
        now += 86_400
        XCTAssertEqual(try send(stranger.address, "registration", [.address(miner.publicKey.address), .uint(.zero)]).out[3], .bool(false))
        let none = try send(stranger.address, "registration", [.address(stranger.address), .uint(.one)]).out
        XCTAssertEqual(Array(none.prefix(4)), [.address(.zero), .uint(.zero), .uint(.zero), .bool(false)])
    }

    func testRegisteringAgainRenews() throws {
        let key = PrivateKey.random()
        try send(operatorKey.address, "register", [.bytes(try evidence(try enclave("oracle", key: key), for: operatorKey.address, role: .oracle)), .uint(.one)])
        now += 80_000
        try send(operatorKey.address, "register", [.bytes(try evidence(try enclave("oracle", key: key), for: operatorKey.address, role: .oracle)), .uint(.one)])
        let r = try XCTUnwrap(EnclaveRegistry.registration(of: key.address, role: .oracle, state: state, time: now))
        XCTAssertEqual(r.registeredAt, now)
        XCTAssertEqual(r.expiresAt, now + 86_400)
        XCTAssertNotNil(EnclaveRegistry.registration(of: key.address, role: .oracle, state: state, time: now + 10_000))
    }

    func testEvidenceBoundToAnotherChainRegistrantOrRoleIsRefused() throws {
        let miner = try enclave("miner")
        let bound = "bound to another chain, registrant or role"
        assertRevertsChargingGas(try send(stranger.address, "register", [.bytes(try evidence(miner, for: operatorKey.address, role: .miner)), .uint(.zero)]),
                      containing: bound)
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(try evidence(miner, for: operatorKey.address, role: .miner, chainID: 1)),
                                                                 .uint(.zero)]), containing: bound)
        // Bound for the oracle role but sent as a miner (and the miner's code is not an oracle's either).
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(try evidence(miner, for: operatorKey.address, role: .oracle)), .uint(.zero)]),
                      containing: bound)
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(try evidence(miner, for: operatorKey.address, role: .oracle)), .uint(.one)]),
                      containing: "not allowed")
        XCTAssertNil(EnclaveRegistry.registration(of: miner.publicKey.address, role: .miner, state: state, time: now))
        // The view computes the binding for this chain.
        XCTAssertEqual(try send(stranger.address, "registrationBinding", [.address(operatorKey.address), .uint(.one)]).out,
                       [.fixedBytes(EnclaveRegistry.registrationBinding(chainID: Self.chainID, registrant: operatorKey.address, role: .oracle))])
    }

    func testBindingCommitsToEveryInput() {
        let a = EnclaveRegistry.registrationBinding(chainID: 1, registrant: operatorKey.address, role: .miner)
        XCTAssertEqual(a.count, 32)
        XCTAssertEqual(a, Keccak256.hash(Array("ankr-enclave-registration".utf8) + [0, 0, 0, 0, 0, 0, 0, 1] + operatorKey.address.bytes + [0]))
        XCTAssertNotEqual(a, EnclaveRegistry.registrationBinding(chainID: 2, registrant: operatorKey.address, role: .miner))
        XCTAssertNotEqual(a, EnclaveRegistry.registrationBinding(chainID: 1, registrant: stranger.address, role: .miner))
        XCTAssertNotEqual(a, EnclaveRegistry.registrationBinding(chainID: 1, registrant: operatorKey.address, role: .oracle))
    }

    func testDebugSimulatedAndStaleEvidenceAreRefused() throws {
        let platform = try SimulatedPlatform(id: .zero, key: .random(), root: root)
        let t = now
        let debug = SimulatedEnclave(name: "miner", platform: platform, debug: true, clock: { t })
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(try evidence(debug, for: operatorKey.address, role: .miner)), .uint(.zero)]),
                      containing: "debug")
        let old = SimulatedEnclave(name: "miner", platform: platform, clock: { t - 7_200 })
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(try evidence(old, for: operatorKey.address, role: .miner)), .uint(.zero)]),
                      containing: "old")
        var noSimulation = rules
        noSimulation.miner.allowSimulatedAttestation = false
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(try evidence(try enclave("miner"), for: operatorKey.address, role: .miner)),
                                                                 .uint(.zero)], registry: EnclaveRegistry(rules: noSimulation)),
                      containing: "not allowed")
    }

    func testHostileInputRevertsWithGasChargedAndNeverTraps() throws {
        let good = try evidence(try enclave("miner"), for: operatorKey.address, role: .miner)
        // Unknown roles, oversized and malformed evidence, collateral that is not collateral.
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(good), .uint(UInt256(2))]), containing: "role")
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(good), .uint(UInt256(255))]), containing: "role")
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes([UInt8](repeating: 0xc0, count: EnclaveRegistry.maxEvidenceBytes + 1)),
                                                                 .uint(.zero)]), containing: "at most")
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes([]), .uint(.zero)]), containing: "malformed")
        assertRevertsChargingGas(try send(operatorKey.address, "postCollateral", [.bytes([UInt8](repeating: 0x7b, count: EnclaveRegistry.maxCollateralBytes + 1))]),
                      containing: "at most")
        assertRevertsChargingGas(try send(operatorKey.address, "postCollateral", [.bytes(Array("{}".utf8))]), containing: "collateral")
        assertRevertsChargingGas(try send(operatorKey.address, "postCollateral", [.bytes([])]), containing: "collateral")
        // A DCAP tag with a garbage quote is malformed, and DCAP evidence costs its verification up front.
        let garbageQuote = RLP.encode(.list([.bytes(Array("sgx-dcap".utf8)), .bytes([UInt8](repeating: 3, count: 600)), .bytes([UInt8](repeating: 2, count: 33))]))
        assertRevertsChargingGas(try send(operatorKey.address, "register", [.bytes(garbageQuote), .uint(.zero)]), containing: "malformed")
        // Too little gas for the verification is out of gas, not a verification.
        XCTAssertThrowsError(try send(operatorKey.address, "register", [.bytes(good), .uint(.zero)], gas: 8_000)) {
            XCTAssertEqual($0 as? SystemCallError, .outOfGas)
        }
        // Every byte of the evidence flipped, and truncations: a revert each time, never a trap or a registration.
        var rng = SplitMix64(seed: 19)
        for _ in 0..<200 {
            var bytes = good
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            XCTAssertThrowsError(try send(operatorKey.address, "register", [.bytes(bytes), .uint(.zero)]))
        }
        for cut in stride(from: 0, to: good.count, by: 7) {
            XCTAssertThrowsError(try send(operatorKey.address, "register", [.bytes(Array(good.prefix(cut))), .uint(.zero)]))
        }
        // Raw calldata: truncated arguments and unknown selectors.
        let register = try XCTUnwrap(EnclaveRegistry.interface.functions.first { $0.name == "register" })
        let input = try ABI.encodeCall(register.signature, [.bytes(good), .uint(.zero)])
        for cut in [0, 3, 4, 35, 67, input.count - 1] {
            XCTAssertThrowsError(try call(operatorKey.address, Array(input.prefix(cut))))
        }
        XCTAssertFalse(try state.hasStorage(EnclaveRegistry.address), "no refused call left anything behind")
    }

    func testShippedABIMatchesTheInterface() throws {
        let abi = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("abi/EnclaveRegistry.json")
        XCTAssertEqual(try String(contentsOf: abi, encoding: .utf8), EnclaveRegistry.interface.json,
                       "regenerate abi/EnclaveRegistry.json from EnclaveRegistry.interface.json (ankr_systemContracts serves it too)")
        XCTAssertEqual(EnclaveRegistry(rules: AttestationRules()).abiJSON, EnclaveRegistry.interface.json)
    }
}
