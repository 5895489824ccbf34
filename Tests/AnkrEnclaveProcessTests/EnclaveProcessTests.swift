import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrSandbox
import Foundation
import XCTest

/// The `ankr-enclave` executable itself, driven over its socket as the node drives it.
final class EnclaveProcessTests: XCTestCase {
    func testTheProcessServesSubtasksAsTheInProcessSandboxRunsThem() throws {
        let enclave = try EnclaveProcess(arguments: ["--name", "ankr-miner-v1"])
        defer { XCTAssertEqual(enclave.terminate(), 0) }
        let remote = try RemoteEnclave(socketPath: enclave.socketPath)
        XCTAssertEqual(remote.measurement, SimulatedEnclave.measurement(named: "ankr-miner-v1"))
        XCTAssertEqual(enclave.ready["address"], remote.publicKey.address.checksummed)
        XCTAssertEqual(enclave.ready["measurement"], remote.measurement.description)

        let module = try TestWork.fnvChain()
        for passes: UInt32 in [1, 25, 60] {
            let input = TestWork.input(passes: passes, data: Array("measured work".utf8))
            let local = try WasmSandbox().run(module, input: input, fuel: 20_000_000)
            let mined = try remote.mine(module: module, input: input, fuel: 20_000_000, target: .max, deadline: .seconds(60))
            XCTAssertEqual(mined.result, local)
            XCTAssertTrue(mined.won)
        }
        XCTAssertThrowsError(try remote.mine(module: try TestWork.spin(), input: [], fuel: 10_000, target: .max, deadline: .seconds(60))) {
            XCTAssertEqual($0 as? WorkError, .outOfFuel(limit: 10_000))
        }
        let hash = Keccak256.hash(Array("statement".utf8))
        XCTAssertEqual(try remote.sign(hash: hash).recoverPublicKey(hash: EnclaveMessage.digest(hash)), remote.publicKey)
        let evidence = try remote.attest(userData: Keccak256.hash([7]))
        let policy = AttestationPolicy(trustedRoots: [DevelopmentAttestationRoot(key: TestWork.rootKey).publicKey],
                                       allowedMeasurements: [remote.measurement], allowSimulated: true)
        XCTAssertNoThrow(try PolicyAttestationVerifier(policy: policy).verify(evidence, now: evidence.report.timestamp,
                                                                               expectedUserData: Keccak256.hash([7])))
        // The socket file is gone once the process stops.
        XCTAssertEqual(enclave.terminate(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: enclave.socketPath))
    }

    func testHostileFramesDoNotStopTheProcess() throws {
        let enclave = try EnclaveProcess()
        defer { _ = enclave.terminate() }
        try HostileFrames.check(socketPath: enclave.socketPath)
        XCTAssertTrue(enclave.process.isRunning)
        XCTAssertEqual(try RemoteEnclave(socketPath: enclave.socketPath).randomBytes(32).count, 32)
    }

    func testAKilledProcessGivesTheClientATypedError() throws {
        let enclave = try EnclaveProcess()
        let remote = try RemoteEnclave(socketPath: enclave.socketPath, timeout: .seconds(5))
        XCTAssertEqual(try remote.randomBytes(8).count, 8)
        enclave.kill()
        XCTAssertThrowsError(try remote.randomBytes(8)) {
            guard case .transport(operation: "random bytes", _)? = $0 as? RemoteEnclaveError else { return XCTFail("\($0)") }
        }
        // Nothing listens any more: the next call cannot even connect.
        XCTAssertThrowsError(try remote.sign(hash: Keccak256.hash([1]))) {
            guard case .unreachable(path: enclave.socketPath, _)? = $0 as? RemoteEnclaveError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try RemoteEnclave(socketPath: enclave.socketPath)) {
            guard case .unreachable? = $0 as? RemoteEnclaveError else { return XCTFail("\($0)") }
        }
    }

    func testAKeyFileKeepsTheKeyAcrossRestarts() throws {
        let dir = try SecretFile.makeTemporaryDirectory(prefix: "ankr-enck")
        let keyFile = dir + "/enclave.key"
        let first = try EnclaveProcess(arguments: ["--key-file", keyFile])
        let address = first.ready["address"]
        XCTAssertEqual(first.terminate(), 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let second = try EnclaveProcess(arguments: ["--key-file", keyFile])
        defer { _ = second.terminate() }
        XCTAssertEqual(second.ready["address"], address)
    }

    func testBadCommandLinesExitWithAReason() throws {
        for (arguments, reason) in [([String](), "--socket PATH is required"), (["--socket", "/tmp/x", "--backend", "sev"], "unknown backend sev"),
                                    (["--socket", "/tmp/x"], "needs --attestation-root-key"), (["--socket"], "--socket needs a value"),
                                    (["--socket", "/tmp/x", "--backend", "gramine", "--attestation-dir", "/nonexistent"], "/nonexistent")] {
            let process = Process()
            process.executableURL = EnclaveProcess.binary
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 1, "\(arguments)")
            XCTAssertTrue(text.contains(reason), "\(arguments): \(text)")
        }
    }
}
