import AnkrCrypto
import AnkrPrimitives
import Foundation

/// The real `ankr-enclave` executable, started on a temporary socket and stopped at the end.
final class EnclaveProcess {
    let process = Process()
    let socketPath: String
    let directory: String
    /// The JSON line the process prints once it serves.
    private(set) var ready: [String: String] = [:]
    private let output = Pipe()

    /// The binary SwiftPM built next to this test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        for candidate in [dir, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("ankr-enclave")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return dir.appendingPathComponent("ankr-enclave")
    }

    enum Failure: Error { case exited(status: Int32, stderr: String) }

    /// Starts the process with a simulated backend (the test root) and `arguments` on top.
    init(arguments: [String] = [], backend: [String]? = nil) throws {
        directory = try SecretFile.makeTemporaryDirectory(prefix: "ankr-encp")
        socketPath = directory + "/enclave.sock"
        let rootFile = directory + "/root.key"
        try SecretFile.write(Array(TestWork.rootKey.bytes.hex.utf8), to: rootFile)
        process.executableURL = Self.binary
        process.arguments = ["--socket", socketPath] + (backend ?? ["--backend", "simulated", "--attestation-root-key", rootFile]) + arguments
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let line = Self.readLine(output.fileHandleForReading)
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else {
            process.waitUntilExit()
            throw Failure.exited(status: process.terminationStatus,
                                 stderr: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        ready = object
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while let data = try? handle.read(upToCount: 1), let byte = data.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// SIGKILL: the process gets no chance to close anything, as in a crash.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill() }
    }
}
