import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import Foundation

// ankr-enclave: the enclave as its own measured process. It holds the enclave key, runs subtasks
// in the fuel-metered sandbox, draws the lottery, signs, decrypts and quotes, and serves all of it
// to the node over a Unix socket. It prints one JSON line when it is ready and runs until SIGTERM.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ankr-enclave: \(message)\n".utf8))
    exit(1)
}

let options: EnclaveCommandLine
do { options = try EnclaveCommandLine(arguments: Array(CommandLine.arguments.dropFirst())) } catch {
    fail("\(error)\n\(EnclaveCommandLine.usage)")
}

// SIGTERM and SIGINT stop the process cleanly (the socket and its file closed). They are blocked
// here, before any thread exists, so every thread inherits the mask and a signal that arrives at
// any moment stays pending until the main thread takes it with sigwait below.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

let enclave: Enclave
do {
    let key = try options.keyFile.map(EnclaveKeyFile.load) ?? PrivateKey.random()
    switch options.backend {
    case .simulated:
        let root = DevelopmentAttestationRoot(key: try EnclaveKeyFile.read(options.attestationRootKey ?? ""))
        let platform = try SimulatedPlatform(id: Keccak256.h256(key.publicKey.compressed), key: PrivateKey.random(), root: root)
        enclave = SimulatedEnclave(name: options.name, platform: platform, key: key)
    case .gramine:
        let provider = try GramineQuoteProvider(directory: options.attestationDirectory ?? GramineQuoteProvider.defaultDirectory)
        enclave = try DCAPEnclave(provider: provider, key: key)
    case .tdx:
        let provider = try TDXQuoteProvider(directory: options.attestationDirectory ?? TDXQuoteProvider.defaultDirectory)
        enclave = try DCAPEnclave(provider: provider, key: key)
    }
} catch {
    fail("\(error)")
}

let server: EnclaveServer
do { server = try EnclaveServer(enclave: enclave, socketPath: options.socket) } catch { fail("\(error)") }
server.start()

let ready: [String: String] = [
    "socket": options.socket, "backend": options.backend.rawValue, "measurement": enclave.measurement.description,
    "address": enclave.publicKey.address.checksummed, "publicKey": enclave.publicKey.compressed.hexPrefixed,
]
if let line = try? JSONSerialization.data(withJSONObject: ready, options: [.sortedKeys, .withoutEscapingSlashes]) {
    FileHandle.standardOutput.write(line + Data("\n".utf8))
}

var received: Int32 = 0
sigwait(&stopSignals, &received)
server.stop()
exit(0)
