/// The options of `ankr-enclave`, parsed by hand: the measured binary links no argument parser.
struct EnclaveCommandLine: Equatable {
    enum Backend: String, CaseIterable { case simulated, gramine, tdx }

    var socket: String
    var backend = Backend.simulated
    var attestationDirectory: String?
    var keyFile: String?
    /// Simulated backend only: the enclave name its measurement derives from, and the development root.
    var name = "ankr-miner-v1"
    var attestationRootKey: String?

    static let usage = """
        usage: ankr-enclave --socket PATH [--backend simulated|gramine|tdx] [--attestation-dir DIR] [--key-file FILE]
                            [--name NAME] [--attestation-root-key FILE]
          --socket PATH               Unix socket to serve the enclave on (created 0600; put it in the node's data directory)
          --backend B                 simulated (devnets), gramine (SGX under Gramine) or tdx (a TDX guest); default simulated
          --attestation-dir DIR       gramine: the attestation pseudo-files (default /dev/attestation);
                                      tdx: the configfs-tsm directory (default /sys/kernel/config/tsm)
          --key-file FILE             the enclave key, hex; created (0600) when absent. Without it the key is fresh on every start.
          --name NAME                 simulated: the name the simulated measurement is derived from (default ankr-miner-v1)
          --attestation-root-key FILE simulated: the development attestation root key that certifies the simulated platform
        """

    /// Why the command line was refused.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case missingValue(String)
        case unknownOption(String)
        case unknownBackend(String)
        case missingSocket
        case missingRootKey

        var description: String {
            switch self {
            case .missingValue(let o): return "\(o) needs a value"
            case .unknownOption(let o): return "unknown option \(o)"
            case .unknownBackend(let b): return "unknown backend \(b) (simulated, gramine or tdx)"
            case .missingSocket: return "--socket PATH is required"
            case .missingRootKey: return "the simulated backend needs --attestation-root-key FILE"
            }
        }
    }

    init(arguments: [String]) throws(Failure) {
        var socket: String?
        var rest = arguments[...]
        func value(_ option: String) throws(Failure) -> String {
            guard let v = rest.popFirst() else { throw .missingValue(option) }
            return v
        }
        while let option = rest.popFirst() {
            switch option {
            case "--socket": socket = try value(option)
            case "--backend":
                let b = try value(option)
                guard let backend = Backend(rawValue: b) else { throw .unknownBackend(b) }
                self.backend = backend
            case "--attestation-dir": attestationDirectory = try value(option)
            case "--key-file": keyFile = try value(option)
            case "--name": name = try value(option)
            case "--attestation-root-key": attestationRootKey = try value(option)
            default: throw .unknownOption(option)
            }
        }
        guard let socket else { throw .missingSocket }
        self.socket = socket
        if backend == .simulated, attestationRootKey == nil { throw .missingRootKey }
    }
}
