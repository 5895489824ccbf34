import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrSandbox
import Foundation
import WAT

/// Modules, inputs and enclaves the enclave-process tests share.
enum TestWork {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The FNV chain example: input is passes (u32 LE) ‖ data.
    static func fnvChain() throws -> WorkModule {
        let text = try String(contentsOf: root.appendingPathComponent("Examples/work/fnv-chain.wat"), encoding: .utf8)
        return try WorkModule(bytes: try wat2wasm(text))
    }

    static func input(passes: UInt32, data: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: passes.littleEndian) { Array($0) } + data
    }

    /// A module that loops forever (until its fuel ends).
    static func spin() throws -> WorkModule {
        try WorkModule(bytes: try wat2wasm("""
            (module (memory (export "memory") 1)
              (func (export "alloc") (param i32) (result i32) i32.const 0)
              (func (export "run") (param i32 i32) (result i64) (loop $l br $l) i64.const 0))
            """))
    }

    static let rootKey = try! PrivateKey(hex: "0x" + String(repeating: "0b", count: 32))

    static func simulated(name: String = "test-enclave", key: PrivateKey = .random()) throws -> SimulatedEnclave {
        let platform = try SimulatedPlatform(id: Keccak256.h256(key.publicKey.compressed), key: PrivateKey.random(),
                                             root: DevelopmentAttestationRoot(key: rootKey))
        return SimulatedEnclave(name: name, platform: platform, key: key)
    }

    /// A short socket path (sockaddr_un holds 107 bytes) in a fresh directory.
    static func socketPath() throws -> String {
        let dir = try SecretFile.makeTemporaryDirectory(prefix: "ankr-enc")
        return dir + "/enclave.sock"
    }
}
