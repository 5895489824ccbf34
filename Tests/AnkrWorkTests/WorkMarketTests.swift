import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrSandbox
import AnkrTestSupport
import AnkrWork
import Foundation
import WAT
import XCTest

final class WorkMarketTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let poster = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let worker = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    let judge = try! PrivateKey(hex: "0x" + String(repeating: "c3", count: 32))
    let root = DevelopmentAttestationRoot(key: try! PrivateKey(hex: "0x" + String(repeating: "0d", count: 32)))
    static let measurement = SimulatedEnclave.measurement(named: "ankr-miner-v1")
    static let chainID: UInt64 = 7331
    /// Seconds a registration lives in these tests.
    static let registrationPeriod: UInt64 = 1_000
    let price = UInt256(1_000)
    let ether = UInt256(1_000_000_000_000_000_000)

    var market: WorkMarket!
    var registry: EnclaveRegistry!
    var state: WorldState!
    var enclave: SimulatedEnclave!
    let enclaveKey = PrivateKey.random()
    var module: WorkModule!
    var block: UInt64 = 10
    var now = UInt64(Date().timeIntervalSince1970)

    override func setUpWithError() throws {
        // Set per test, not when the instance is made: XCTest on Linux makes every instance at launch,
        // a minute or more before the last tests run, and evidence from then would look dated in the future.
        now = UInt64(Date().timeIntervalSince1970)
        market = WorkMarket(parameters: .init(minimumBond: UInt256(1_000_000), disputeWindow: 5, maxFuelPerSubtask: 10_000_000))
        var rules = AttestationRules()
        rules.registrationPeriod = Self.registrationPeriod
        rules.miner.attestationRoots = [root.publicKey]
        rules.miner.measurements = [Self.measurement]
        rules.miner.allowSimulatedAttestation = true
        rules.oracle = rules.miner
        rules.oracle.measurements = [SimulatedEnclave.measurement(named: "ankr-oracle-v1")]
        registry = EnclaveRegistry(rules: rules)
        state = WorldState()
        for k in [poster, worker, judge] { try state.setBalance(k.address, UInt256(100) &* ether) }
        enclave = SimulatedEnclave(name: "ankr-miner-v1", platform: try SimulatedPlatform(id: Keccak256.h256([7]), key: .random(), root: root), key: enclaveKey,
                                   clock: { [now] in now })
        try register(enclave, as: .miner)
        let text = try String(contentsOf: Self.repository.appendingPathComponent("Examples/work/fnv-chain.wat"), encoding: .utf8)
        module = try WorkModule(bytes: try wat2wasm(text))
    }

    func makeEnclave(name: String = "ankr-miner-v1", root: DevelopmentAttestationRoot) throws -> SimulatedEnclave {
        SimulatedEnclave(name: name, platform: try SimulatedPlatform(id: Keccak256.h256([7]), key: PrivateKey.random(), root: root))
    }

    /// Registers `enclave` in the EnclaveRegistry for `role`, by the worker, at `now`.
    func register(_ enclave: Enclave, as role: EnclaveRole) throws {
        let evidence = try enclave.attest(userData: EnclaveRegistry.registrationBinding(chainID: Self.chainID, registrant: worker.address, role: role))
        let input = try ABI.encodeCall("register(bytes,uint8)", [.bytes(evidence.encoded), .uint(UInt256(UInt64(role.rawValue)))])
        _ = try registry.call(SystemCall(address: EnclaveRegistry.address, caller: worker.address, value: .zero, input: input, gasAvailable: 1_000_000,
                                         block: context), state: state)
    }

    var context: BlockContext {
        BlockContext(chainID: Self.chainID, coinbase: .zero, number: block, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
    }

    func fnvInput(_ passes: UInt32, _ text: String) -> [UInt8] { withUnsafeBytes(of: passes.littleEndian) { Array($0) } + Array(text.utf8) }

    /// A call as a transaction makes it: the value moves first, a failure undoes everything.
    @discardableResult
    func send(_ from: PrivateKey, _ input: [UInt8], value: UInt256 = .zero, gas: UInt64 = 20_000_000) throws -> SystemCallResult {
        let mark = state.snapshot()
        do {
            try state.subtractBalance(from.address, value)
            try state.addBalance(WorkMarket.address, value)
            return try market.call(SystemCall(address: WorkMarket.address, caller: from.address, value: value, input: input, gasAvailable: gas, block: context), state: state)
        } catch {
            state.revert(to: mark)
            throw error
        }
    }

    func assertReverts(_ reason: String, _ body: () throws -> Void, line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            guard case SystemCallError.reverted(let why, _) = error else { return XCTFail("\(error) is not a revert", line: line) }
            XCTAssertTrue(why.contains(reason), "\(why) does not mention \(reason)", line: line)
        }
    }

    func post(_ inputs: [[UInt8]], maxFuel: UInt64 = 1_000_000, escrow: UInt256? = nil) throws -> UInt256 {
        let call = try WorkMarket.postJobCall(module: module.bytes, inputs: inputs, maxFuelPerSubtask: maxFuel, pricePerFuel: price)
        let out = try send(poster, call, value: escrow ?? price &* UInt256(maxFuel) &* UInt256(inputs.count))
        return try XCTUnwrap(UInt256(bigEndian: out.output))
    }

    func subtask(_ job: UInt256, _ index: UInt64) throws -> OpenSubtask {
        var view = WorkMarketState(state: state)
        let open = try view.openSubtasks(parameters: market.parameters)
        return try XCTUnwrap(open.first { $0.jobID == job && $0.index == index })
    }

    func view(_ signature: String, _ args: [ABIValue], returns: [ABIType]) throws -> [ABIValue] {
        try ABI.decode(returns, from: try send(judge, try ABI.encodeCall(signature, args)).output)
    }

    // MARK: Tests

    func testPostedJobIsExecutedAndTheWorkerPaidFuelTimesPrice() throws {
        let inputs = [fnvInput(20, "alpha"), fnvInput(30, "beta")]
        let job = try post(inputs)
        XCTAssertEqual(job, .one)
        let escrow = price &* UInt256(1_000_000) &* UInt256(2)
        XCTAssertEqual(try state.balance(WorkMarket.address), escrow)

        let task = try subtask(job, 1)
        XCTAssertEqual(task.bond, UInt256(1_000_000) &* price)  // the most one subtask pays beats the minimum bond
        let result = try WasmSandbox().run(module, input: inputs[1], fuel: task.maxFuel)
        let before = try state.balance(worker.address)
        let call = try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task, input: inputs[1], result: result,
                                                   worker: worker.address, enclave: enclave)
        let out = try send(worker, call, value: task.bond)
        let payment = price &* UInt256(result.fuelUsed)
        XCTAssertEqual(try state.balance(worker.address), before &- task.bond &+ payment)
        XCTAssertEqual(out.logs.count, 1)
        XCTAssertEqual(out.logs[0].topics[0], WorkMarket.interface.event(named: "ResultSubmitted")?.topic)
        XCTAssertGreaterThan(out.gasUsed, 40_000)

        let jobView = try view("getJob(uint256)", [.uint(job)], returns: WorkMarket.interface.functions.first { $0.name == "getJob" }!.outputTypes)
        XCTAssertEqual(jobView[0], .address(poster.address))
        XCTAssertEqual(jobView[5], .uint(escrow &- payment))
        XCTAssertEqual(jobView[6], .uint(.one))
        let stored = try view("getResult(uint256,uint256)", [.uint(job), .uint(.one)],
                              returns: [.address, .bytes, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256)])
        XCTAssertEqual(stored[0], .address(worker.address))
        XCTAssertEqual(stored[1], .bytes(result.output))
        XCTAssertEqual(stored[2], .uint(UInt256(result.fuelUsed)))
        XCTAssertEqual(try view("getInput(uint256,uint256)", [.uint(job), .uint(.zero)], returns: [.bytes]), [.bytes(inputs[0])])
        XCTAssertEqual(try view("getModule(bytes32)", [.fixedBytes(module.hash.bytes)], returns: [.bytes]), [.bytes(module.bytes)])

        // The same subtask cannot be paid twice; the other one still can, and then the job is complete.
        assertReverts("already has a result") { try self.send(self.worker, call, value: task.bond) }
        let task0 = try subtask(job, 0)
        let r0 = try WasmSandbox().run(module, input: inputs[0], fuel: task0.maxFuel)
        let done = try send(worker, try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task0, input: inputs[0], result: r0,
                                                                    worker: worker.address, enclave: enclave), value: task0.bond)
        XCTAssertEqual(done.logs.last?.topics[0], WorkMarket.interface.event(named: "JobCompleted")?.topic)
        var reader = WorkMarketState(state: state)
        XCTAssertTrue(try reader.openSubtasks(parameters: market.parameters).isEmpty)

        // The bond comes back only after the dispute window, once, to the worker.
        let reclaim = try ABI.encodeCall("reclaimBond(uint256,uint256)", [.uint(job), .uint(.one)])
        assertReverts("dispute window closes") { try self.send(self.worker, reclaim) }
        block += 6
        assertReverts("only the worker") { try self.send(self.judge, reclaim) }
        let held = try state.balance(worker.address)
        try send(worker, reclaim)
        XCTAssertEqual(try state.balance(worker.address), held &+ task.bond)
        assertReverts("already returned") { try self.send(self.worker, reclaim) }

        // Cancelling refunds exactly the unpaid escrow; the contract keeps only the other bond.
        let posterBefore = try state.balance(poster.address)
        let refund = try send(poster, try ABI.encodeCall("cancelJob(uint256)", [.uint(job)]))
        let paid = payment &+ price &* UInt256(r0.fuelUsed)
        XCTAssertEqual(UInt256(bigEndian: refund.output), escrow &- paid)
        XCTAssertEqual(try state.balance(poster.address), posterBefore &+ escrow &- paid)
        XCTAssertEqual(try state.balance(WorkMarket.address), task0.bond)
    }

    func testResultsSignedByAnEnclaveWithoutALiveMinerRegistrationAreRefused() throws {
        let input = fnvInput(10, "x")
        let job = try post([input])
        let task = try subtask(job, 0)
        let result = try WasmSandbox().run(module, input: input, fuel: task.maxFuel)
        func submit(_ enclave: Enclave, worker: Address? = nil, chainID: UInt64 = Self.chainID, sender: PrivateKey? = nil, bond: UInt256? = nil) throws {
            let call = try WorkMarket.submitResultCall(chainID: chainID, subtask: task, input: input, result: result,
                                                       worker: worker ?? self.worker.address, enclave: enclave)
            try send(sender ?? self.worker, call, value: bond ?? task.bond)
        }
        // A key that never registered, even one running the allowed code on a trusted platform.
        let unregistered = try makeEnclave(root: root)
        assertReverts("\(unregistered.publicKey.address.checksummed) is not a registered miner enclave") { try submit(unregistered) }
        // Keys the registry refuses (an untrusted platform, code genesis does not allow) stay unregistered.
        for refused in [try makeEnclave(root: DevelopmentAttestationRoot(key: .random())), try makeEnclave(name: "evil", root: root)] {
            assertReverts("attestation") { try self.register(refused, as: .miner) }
            assertReverts("not a registered miner enclave") { try submit(refused) }
        }
        // A key registered for the other role.
        let oracle = try makeEnclave(name: "ankr-oracle-v1", root: root)
        try register(oracle, as: .oracle)
        assertReverts("registered as an oracle enclave, not a miner enclave") { try submit(oracle) }
        // A statement for another worker, another chain, or copied from the mempool by someone else
        // recovers to some other key, which is not registered.
        assertReverts("not a registered miner enclave") { try submit(self.enclave, worker: self.judge.address) }
        assertReverts("not a registered miner enclave") { try submit(self.enclave, chainID: 1) }
        let honest = try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task, input: input, result: result,
                                                     worker: worker.address, enclave: enclave)
        assertReverts("not a registered miner enclave") { try self.send(self.judge, honest, value: task.bond) }
        assertReverts("bond") { try submit(self.enclave, bond: task.bond &- .one) }
        // A signature by another key, and bytes that are no signature at all.
        var tampered = try ABI.decode(WorkMarket.interface.functions[1].inputTypes, from: Array(honest.dropFirst(4)))
        tampered[4] = .bytes(try PrivateKey.random().sign(hash: Keccak256.hash([1])).rsv)
        assertReverts("not a registered miner enclave") {
            try self.send(self.worker, try ABI.encodeCall("submitResult(uint256,uint256,bytes,uint64,bytes)", tampered), value: task.bond)
        }
        for garbage: [UInt8] in [[], [1, 2, 3], [UInt8](repeating: 0xff, count: 65), [UInt8](repeating: 0, count: 65)] {
            tampered[4] = .bytes(garbage)
            assertReverts("not a recoverable secp256k1 signature") {
                try self.send(self.worker, try ABI.encodeCall("submitResult(uint256,uint256,bytes,uint64,bytes)", tampered), value: task.bond)
            }
        }
        XCTAssertEqual(try state.balance(WorkMarket.address), price &* UInt256(1_000_000), "nothing was paid out")
        try submit(enclave)
    }

    func testAnExpiredMinerRegistrationIsRefusedUntilRenewed() throws {
        let inputs = [fnvInput(10, "x"), fnvInput(10, "y")]
        let job = try post(inputs)
        func submit(_ index: UInt64) throws {
            let task = try subtask(job, index)
            let result = try WasmSandbox().run(module, input: inputs[Int(index)], fuel: task.maxFuel)
            try send(worker, try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task, input: inputs[Int(index)], result: result,
                                                             worker: worker.address, enclave: enclave), value: task.bond)
        }
        // The last second of the registration still counts; the next one does not.
        let registeredAt = now
        now = registeredAt + Self.registrationPeriod - 1
        XCTAssertFalse(WorkMarket.minerRegistrationDue(enclave: enclave.publicKey.address, worker: worker.address, state: state, time: registeredAt))
        XCTAssertTrue(WorkMarket.minerRegistrationDue(enclave: enclave.publicKey.address, worker: worker.address, state: state,
                                                      time: registeredAt + Self.registrationPeriod / 2), "renewed at half its period")
        try submit(0)
        now = registeredAt + Self.registrationPeriod
        assertReverts("\(enclave.publicKey.address.checksummed) is not a registered miner enclave") { try submit(1) }
        XCTAssertTrue(WorkMarket.minerRegistrationDue(enclave: enclave.publicKey.address, worker: worker.address, state: state, time: now))
        // Registering again (fresh evidence at the new time) renews it.
        let renewed = SimulatedEnclave(name: "ankr-miner-v1", platform: enclave.platform, key: enclaveKey, clock: { [now] in now })
        try register(renewed, as: .miner)
        try submit(1)
    }

    func testAHostileResultPaysTheSameGasForTheSignerCheckWhateverTheKey() throws {
        let input = fnvInput(10, "x")
        let job = try post([input])
        let task = try subtask(job, 0)
        let result = try WasmSandbox().run(module, input: input, fuel: task.maxFuel)
        let oracle = try makeEnclave(name: "ankr-oracle-v1", root: root)
        try register(oracle, as: .oracle)
        func gasOfRevert(_ enclave: Enclave, gas: UInt64 = 20_000_000) throws -> UInt64 {
            let call = try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task, input: input, result: result, worker: worker.address, enclave: enclave)
            do { try send(worker, call, value: task.bond, gas: gas) } catch SystemCallError.reverted(_, let gasUsed) { return gasUsed }
            XCTFail("the result was accepted")
            return 0
        }
        let unregistered = try gasOfRevert(try makeEnclave(root: root)), otherRole = try gasOfRevert(oracle)
        XCTAssertEqual(unregistered, otherRole, "the registry's answer does not change the price")
        XCTAssertGreaterThan(unregistered, WorkMarket.signerCheckGas, "the recovery and the lookup are paid for")
        XCTAssertLessThan(unregistered, 100_000, "a refused result costs a bounded amount, not the job's budget")
        // With too little gas for the check, the call runs out before recovering anything.
        XCTAssertThrowsError(try send(worker, try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task, input: input, result: result,
                                                                              worker: worker.address, enclave: try makeEnclave(root: root)),
                                      value: task.bond, gas: unregistered - WorkMarket.signerCheckGas)) {
            XCTAssertEqual($0 as? SystemCallError, .outOfGas)
        }
        XCTAssertEqual(try state.balance(WorkMarket.address), price &* UInt256(1_000_000), "nothing was paid out")
    }

    func testDisputeSlashesAWrongResultAndConfirmsARightOne() throws {
        let inputs = [fnvInput(15, "right"), fnvInput(15, "wrong")]
        let job = try post(inputs)
        let escrow = price &* UInt256(1_000_000) &* UInt256(2)
        var paid = UInt256.zero
        for i in 0..<2 {
            let task = try subtask(job, UInt64(i))
            var r = try WasmSandbox().run(module, input: inputs[i], fuel: task.maxFuel)
            if i == 1 { r.output = [1, 2, 3, 4, 5, 6, 7, 8] }  // a compromised enclave would sign anything
            paid = paid &+ price &* UInt256(r.fuelUsed)
            try send(worker, try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task, input: inputs[i], result: r,
                                                             worker: worker.address, enclave: enclave), value: task.bond)
        }
        let bond = price &* UInt256(1_000_000)
        assertReverts("confirms the result") { try self.send(self.judge, try ABI.encodeCall("dispute(uint256,uint256)", [.uint(job), .uint(.zero)])) }
        let judgeBefore = try state.balance(judge.address)
        let out = try send(judge, try ABI.encodeCall("dispute(uint256,uint256)", [.uint(job), .uint(.one)]))
        XCTAssertGreaterThan(out.gasUsed, 1_000_000 / 8, "re-execution is paid for at the job's fuel budget")
        XCTAssertEqual(out.logs.first?.topics[0], WorkMarket.interface.event(named: "ResultDisputed")?.topic)
        var reader = WorkMarketState(state: state)
        let wrongPayment = try XCTUnwrap(try reader.job(job)).escrow &- (escrow &- paid)
        XCTAssertEqual(try state.balance(judge.address), judgeBefore &+ bond &- wrongPayment)
        XCTAssertNil(try reader.result(job: job, index: 1))
        XCTAssertEqual(try reader.openSubtasks(parameters: market.parameters).map(\.index), [1], "the subtask is open again")
        XCTAssertEqual(try reader.job(job)?.completed, 1)
        // The contract still holds exactly the escrow left plus the honest worker's bond.
        XCTAssertEqual(try state.balance(WorkMarket.address), try XCTUnwrap(try reader.job(job)).escrow &+ bond)
        block += 6
        assertReverts("window has closed") { try self.send(self.judge, try ABI.encodeCall("dispute(uint256,uint256)", [.uint(job), .uint(.zero)])) }
    }

    func testPostJobChecksEscrowModuleAndBounds() throws {
        let input = [fnvInput(1, "a")]
        assertReverts("escrow must cover") { _ = try self.post(input, escrow: self.price &* UInt256(1_000_000) &- .one) }
        assertReverts("between 1 and") { _ = try self.post(input, maxFuel: 10_000_001) }
        assertReverts("at least one subtask") { _ = try self.post([]) }
        assertReverts("exceeds 4096 bytes") { _ = try self.post([[UInt8](repeating: 1, count: 4097)]) }
        let wrongHash = try WorkMarket.postJobCall(module: module.bytes, moduleHash: Keccak256.h256([1]), inputs: input,
                                                   maxFuelPerSubtask: 10, pricePerFuel: .one)
        assertReverts("do not hash") { try self.send(self.poster, wrongHash, value: UInt256(10)) }
        let importing = try wat2wasm("(module (import \"env\" \"clock\" (func)) (memory (export \"memory\") 1))")
        assertReverts("may not import") {
            try self.send(self.poster, try WorkMarket.postJobCall(module: importing, inputs: input, maxFuelPerSubtask: 10, pricePerFuel: .one),
                          value: UInt256(10))
        }
        let byHash = try WorkMarket.postJobCall(module: [], moduleHash: module.hash, inputs: input, maxFuelPerSubtask: 10, pricePerFuel: .one)
        assertReverts("not stored") { try self.send(self.poster, byHash, value: UInt256(10)) }
        _ = try post(input)
        // Once stored, a module is reused by hash without sending its bytes again.
        XCTAssertEqual(UInt256(bigEndian: try send(poster, byHash, value: UInt256(10)).output), UInt256(2))
        assertReverts("not payable") { try self.send(self.poster, try ABI.encodeCall("cancelJob(uint256)", [.uint(.one)]), value: .one) }
        assertReverts("only the poster") { try self.send(self.judge, try ABI.encodeCall("cancelJob(uint256)", [.uint(.one)])) }
        assertReverts("no job 9") { try self.send(self.judge, try ABI.encodeCall("cancelJob(uint256)", [.uint(UInt256(9))])) }
        // A stored module is charged for: too little gas runs out instead of storing it for free.
        XCTAssertThrowsError(try send(poster, try WorkMarket.postJobCall(module: module.bytes, inputs: input, maxFuelPerSubtask: 10, pricePerFuel: .one),
                                      value: UInt256(10), gas: 50_000)) { XCTAssertEqual($0 as? SystemCallError, .outOfGas) }
    }

    func testPostJobRefusesAModuleWithAStartFunction() throws {
        let looping = try ModuleAdmissionTests.loopingStart()
        let started = ContinuousClock.now
        assertReverts("start function") {
            try self.send(self.poster, try WorkMarket.postJobCall(module: looping, inputs: [[1]], maxFuelPerSubtask: 10, pricePerFuel: .one),
                          value: UInt256(10))
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
        var reader = WorkMarketState(state: state)
        XCTAssertEqual(try reader.jobCount(), .zero)
        XCTAssertTrue(try reader.module(Keccak256.h256(looping)).isEmpty, "the module is not stored")
    }

    /// A submitted result on `job`'s subtask 0 that claims `output`, signed by the test enclave.
    func submitClaim(_ job: UInt256, output: [UInt8], input: [UInt8]) throws {
        let task = try subtask(job, 0)
        let claim = SubtaskResult(output: output, fuelUsed: 10)
        try send(worker, try WorkMarket.submitResultCall(chainID: Self.chainID, subtask: task, input: input, result: claim,
                                                         worker: worker.address, enclave: enclave), value: task.bond)
    }

    func testDisputeOfAStoredModuleWithALoopingStartFunctionRevertsInsteadOfHanging() throws {
        // A module stored before start functions were refused at admission.
        let looping = try ModuleAdmissionTests.loopingStart()
        var writer = WorkMarketState(state: state)
        try writer.setModule(looping, hash: Keccak256.h256(looping))
        let byHash = try WorkMarket.postJobCall(module: [], moduleHash: Keccak256.h256(looping), inputs: [[1]], maxFuelPerSubtask: 1_000,
                                                pricePerFuel: price)
        let job = try XCTUnwrap(UInt256(bigEndian: try send(poster, byHash, value: price &* UInt256(1_000)).output))
        try submitClaim(job, output: [9], input: [1])
        let started = ContinuousClock.now
        assertReverts("cannot be re-executed") {
            try self.send(self.judge, try ABI.encodeCall("dispute(uint256,uint256)", [.uint(job), .uint(.zero)]))
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
    }

    func testADisputeUnderAZeroFuelPerGasGenesisIsChargedNotATrap() throws {
        var parameters = market.parameters
        parameters.fuelPerGas = 0  // used to divide by zero in every node that executed the dispute
        market = WorkMarket(parameters: parameters)
        let input = fnvInput(3, "x")
        let job = try post([input], maxFuel: 100_000)
        try submitClaim(job, output: [1, 2, 3], input: input)
        let out = try send(judge, try ABI.encodeCall("dispute(uint256,uint256)", [.uint(job), .uint(.zero)]))
        XCTAssertGreaterThan(out.gasUsed, 100_000, "one gas per fuel of the whole budget")
        XCTAssertEqual(out.logs.first?.topics[0], WorkMarket.interface.event(named: "ResultDisputed")?.topic)
    }

    func testHostileCalldataIsAnErrorNeverATrap() throws {
        var rng = SplitMix64(seed: 42)
        let selectors = WorkMarket.interface.functions.map(\.selector)
        for n in 0..<2_000 {
            let length = Int(rng.next() % 300)
            let body = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let input = selectors[n % selectors.count] + body
            do { try send(judge, input) } catch is SystemCallError {} catch { XCTFail("\(error)") }
        }
        XCTAssertEqual(try state.balance(WorkMarket.address), .zero)
    }

    func testShippedABIJSONMatchesTheInterface() throws {
        let shipped = try String(contentsOf: Self.repository.appendingPathComponent("abi/WorkMarket.json"), encoding: .utf8)
        XCTAssertEqual(shipped, WorkMarket.abi, "regenerate abi/WorkMarket.json with `ankr work abi > abi/WorkMarket.json`")
    }
}
