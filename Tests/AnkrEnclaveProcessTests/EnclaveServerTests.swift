import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrSandbox
import Foundation
import XCTest

/// ``EnclaveServer`` and ``RemoteEnclave`` in this process: the Enclave API over the socket gives
/// what the enclave gives in process, and a peer that lies, stalls or sends garbage gets typed errors.
final class EnclaveServerTests: XCTestCase {
    var server: EnclaveServer?

    override func tearDown() {
        server?.stop()
        server = nil
    }

    func serve(_ enclave: Enclave) throws -> String {
        let path = try TestWork.socketPath()
        let server = try EnclaveServer(enclave: enclave, socketPath: path)
        server.start()
        self.server = server
        return path
    }

    func testRemoteCallsGiveWhatTheEnclaveGives() throws {
        let key = PrivateKey.random()
        let enclave = try TestWork.simulated(key: key)
        let remote = try RemoteEnclave(socketPath: try serve(enclave))
        XCTAssertEqual(remote.measurement, enclave.measurement)
        XCTAssertEqual(remote.publicKey, key.publicKey)

        let hash = Keccak256.hash([1, 2, 3])
        XCTAssertEqual(try remote.sign(hash: hash).recoverPublicKey(hash: EnclaveMessage.digest(hash)), key.publicKey, "generic signatures are over the message digest")

        let evidence = try remote.attest(userData: [UInt8](repeating: 0xab, count: 32))
        XCTAssertEqual(evidence.enclaveKey, key.publicKey.compressed)
        XCTAssertEqual(Array(evidence.report.reportData[32...]), [UInt8](repeating: 0xab, count: 32))
        let policy = AttestationPolicy(trustedRoots: [DevelopmentAttestationRoot(key: TestWork.rootKey).publicKey],
                                       allowedMeasurements: [enclave.measurement], allowSimulated: true)
        XCTAssertNoThrow(try PolicyAttestationVerifier(policy: policy).verify(evidence, now: evidence.report.timestamp,
                                                                               expectedUserData: [UInt8](repeating: 0xab, count: 32)))

        let secret = Array("private params".utf8)
        XCTAssertEqual(try remote.decrypt(try ECIES.encrypt(secret, to: key.publicKey)), secret)

        XCTAssertEqual(try remote.randomBytes(10_000).count, 10_000)
        XCTAssertEqual(try remote.randomBytes(0), [])
    }

    func testRemoteSubtaskMatchesTheInProcessSandbox() throws {
        let remote = try RemoteEnclave(socketPath: try serve(try TestWork.simulated()))
        let module = try TestWork.fnvChain()
        let input = TestWork.input(passes: 40, data: Array("useful work".utf8))
        let local = try WasmSandbox().run(module, input: input, fuel: 10_000_000)
        // The first run sends the module's bytes, the second names it by hash only.
        for _ in 0..<2 {
            let mined = try remote.mine(module: module, input: input, fuel: 10_000_000, target: .max, deadline: .seconds(30))
            XCTAssertEqual(mined.result, local)
            XCTAssertTrue(mined.won, "a target of 2^256 - 1 wins every instruction")
        }
        let lost = try remote.mine(module: module, input: input, fuel: 10_000_000, target: .zero, deadline: .seconds(30))
        XCTAssertEqual(lost.result, local)
        XCTAssertFalse(lost.won, "a zero target never wins")
    }

    func testSandboxErrorsComeBackAsTheSameWorkError() throws {
        let remote = try RemoteEnclave(socketPath: try serve(try TestWork.simulated()))
        XCTAssertThrowsError(try remote.mine(module: try TestWork.spin(), input: [], fuel: 50_000, target: .max, deadline: .seconds(30))) {
            XCTAssertEqual($0 as? WorkError, .outOfFuel(limit: 50_000))
        }
        let module = try TestWork.fnvChain()
        let input = TestWork.input(passes: 40, data: [1, 2, 3])
        let need = try WasmSandbox().run(module, input: input, fuel: 10_000_000).fuelUsed
        XCTAssertThrowsError(try remote.mine(module: module, input: input, fuel: need - 1, target: .max, deadline: .seconds(30))) {
            XCTAssertEqual($0 as? WorkError, .outOfFuel(limit: need - 1))
        }
    }

    func testModulesAreCachedByHashAndCheckedAgainstIt() throws {
        let server = try EnclaveServer(enclave: try TestWork.simulated(), socketPath: try TestWork.socketPath())
        defer { server.stop() }
        let module = try TestWork.fnvChain()
        let input = TestWork.input(passes: 1, data: [1])
        func mine(_ bytes: [UInt8], hash: H256) -> EnclaveReply {
            server.answer(.mine(moduleHash: hash, module: bytes, input: input, fuel: 1_000_000, target: .max, deadlineMilliseconds: 30_000))
        }
        XCTAssertEqual(mine([], hash: module.hash), .failure(.unknownModule(module.hash)))
        XCTAssertEqual(mine(module.bytes, hash: Keccak256.h256([0])), .failure(.moduleHashMismatch(Keccak256.h256([0]))))
        guard case .mined = mine(module.bytes, hash: module.hash) else { return XCTFail("the module was not run") }
        guard case .mined = mine([], hash: module.hash) else { return XCTFail("the cached module was not run") }
        XCTAssertEqual(mine([1, 2, 3], hash: Keccak256.h256([1, 2, 3])), .failure(.work(.notWebAssembly)))
    }

    /// Raw frames on the socket: garbage gets a refusal and the connection goes on; an oversized length
    /// gets a refusal and the connection is closed; a truncated frame is dropped; the server serves on.
    func testHostileFramesAreRefusedAndTheServerSurvives() throws {
        let path = try serve(try TestWork.simulated())
        try HostileFrames.check(socketPath: path)
        XCTAssertNoThrow(try RemoteEnclave(socketPath: path).sign(hash: Keccak256.hash([1])))
    }

    func testASilentEnclaveTimesOut() throws {
        let path = try TestWork.socketPath()
        let fake = try FakeEnclaveProcess(path: path) { _ in nil }
        defer { fake.stop() }
        let started = ContinuousClock.now
        XCTAssertThrowsError(try RemoteEnclave(socketPath: path, timeout: .milliseconds(300))) {
            XCTAssertEqual($0 as? RemoteEnclaveError, .timedOut(operation: "info", milliseconds: 300))
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }

    func testLyingRepliesAreRefused() throws {
        let key = PrivateKey.random(), other = PrivateKey.random()
        let info = EnclaveReply.info(measurement: Keccak256.h256([1]), publicKey: key.publicKey.compressed)
        let path = try TestWork.socketPath()
        let fake = try FakeEnclaveProcess(path: path) { request in
            switch request {
            case .info: return info
            case .sign(let hash): return .signature((try? other.sign(hash: hash).rsv) ?? [])
            case .randomBytes(let n): return .randomBytes([UInt8](repeating: 1, count: max(0, n - 1)))
            case .mine(_, _, _, let fuel, _, _, _, _): return .mined(MinedSubtask(output: [], fuelUsed: fuel &+ 1, won: true, statementSignature: [UInt8](repeating: 1, count: 65)))
            case .attest: return .evidence([1, 2, 3])
            case .decrypt: return .signature([UInt8](repeating: 0, count: 65))
            }
        }
        defer { fake.stop() }
        let remote = try RemoteEnclave(socketPath: path, timeout: .seconds(5))
        func dishonest(_ body: () throws -> Void, _ operation: String) {
            XCTAssertThrowsError(try body()) {
                guard case .dishonestReply(operation: operation, _) = $0 as? RemoteEnclaveError else { return XCTFail("\($0)") }
            }
        }
        dishonest({ _ = try remote.sign(hash: Keccak256.hash([1])) }, "sign")
        dishonest({ _ = try remote.randomBytes(8) }, "random bytes")
        dishonest({ _ = try remote.mine(module: try TestWork.spin(), input: [], fuel: 10, target: .max, deadline: .seconds(1)) }, "mine")
        dishonest({ _ = try remote.attest(userData: []) }, "attest")
        XCTAssertThrowsError(try remote.decrypt([1])) {
            XCTAssertEqual($0 as? RemoteEnclaveError, .unexpectedReply(operation: "decrypt", reply: "signature"))
        }
    }

    func testAnEnclaveThatComesBackWithAnotherKeyIsRefused() throws {
        let path = try TestWork.socketPath()
        var fake = try FakeEnclaveProcess(path: path) { _ in .info(measurement: .zero, publicKey: PrivateKey.random().publicKey.compressed) }
        let remote = try RemoteEnclave(socketPath: path, timeout: .seconds(5))
        fake.stop()
        XCTAssertThrowsError(try remote.randomBytes(1)) {
            guard case .transport(operation: "random bytes", _)? = $0 as? RemoteEnclaveError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try remote.randomBytes(1)) {
            guard case .unreachable? = $0 as? RemoteEnclaveError else { return XCTFail("\($0)") }
        }
        fake = try FakeEnclaveProcess(path: path) { _ in .info(measurement: .zero, publicKey: PrivateKey.random().publicKey.compressed) }
        defer { fake.stop() }
        XCTAssertThrowsError(try remote.randomBytes(1)) { XCTAssertEqual($0 as? RemoteEnclaveError, .identityChanged) }
    }

    func testEndpointsAreAPathOrALoopbackPort() throws {
        XCTAssertEqual(try EnclaveEndpoint("/srv/ankr/enclave.sock"), .unix(path: "/srv/ankr/enclave.sock"))
        XCTAssertEqual(try EnclaveEndpoint("tcp://127.0.0.1:7400"), .loopback(port: 7400))
        XCTAssertEqual(try EnclaveEndpoint("tcp://localhost:7400"), .loopback(port: 7400))
        XCTAssertEqual(EnclaveEndpoint.loopback(port: 7400).description, "tcp://127.0.0.1:7400")
        for refused in ["", "tcp://0.0.0.0:7400", "tcp://10.0.0.1:7400", "tcp://127.0.0.1:0", "tcp://127.0.0.1:70000", "tcp://127.0.0.1",
                        "tcp://127.0.0.1:x"] {
            XCTAssertThrowsError(try EnclaveEndpoint(refused)) { XCTAssertEqual($0 as? EnclaveSocketError, .badEndpoint(refused)) }
        }
        XCTAssertThrowsError(try RemoteEnclave(socketPath: "/" + String(repeating: "x", count: 200))) {
            guard case .unreachable(_, .pathTooLong)? = $0 as? RemoteEnclaveError else { return XCTFail("\($0)") }
        }
    }

    /// Gramine keeps Unix sockets inside its instance, so the enclave can serve on a loopback port instead.
    func testLoopbackTCPServesTheSameAPI() throws {
        let enclave = try TestWork.simulated()
        var served: (EnclaveServer, UInt16)?
        for _ in 0..<20 where served == nil {
            let port = UInt16.random(in: 20_000...60_000)
            served = (try? EnclaveServer(enclave: enclave, socketPath: "tcp://127.0.0.1:\(port)")).map { ($0, port) }
        }
        guard let (server, port) = served else { return XCTFail("no free loopback port") }
        server.start()
        self.server = server
        let remote = try RemoteEnclave(socketPath: "tcp://127.0.0.1:\(port)")
        XCTAssertEqual(remote.publicKey, enclave.publicKey)
        let module = try TestWork.fnvChain()
        let input = TestWork.input(passes: 10, data: [1, 2, 3])
        XCTAssertEqual(try remote.mine(module: module, input: input, fuel: 1_000_000, target: .max, deadline: .seconds(30)).result,
                       try WasmSandbox().run(module, input: input, fuel: 1_000_000))
        try HostileFrames.check(socketPath: "tcp://127.0.0.1:\(port)")
        XCTAssertEqual(try remote.randomBytes(4).count, 4)
    }

    func testTheSocketFileIsOwnerOnly() throws {
        let path = try serve(try TestWork.simulated())
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeSocket)
    }
}
