import AnkrCommandLine
import AnkrEVM
import AnkrPrimitives
import ArgumentParser
import Crypto
import Foundation

/// The KZG point evaluation precompile (0x0a, EIP-4844): time per verification of one valid proof,
/// against C-KZG-4844 through PyPI `ckzg` on the same proof in the same run (`--ckzg <python>`).
struct KZGBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kzg", abstract: "KZG point evaluation (precompile 0x0a): time per verification, against C-KZG-4844 (PyPI ckzg).")

    @Option(help: "Verifications per round (best of five rounds).") var iterations: Int = 50
    @Option(help: "A Python interpreter with ckzg installed (e.g. .venv-e2e/bin/python); without it only Ankr is measured.") var ckzg: String?
    @Option(help: "The trusted setup file ckzg loads (c-kzg-4844's trusted_setup.txt).") var setup = "Tests/e2e/kzg_trusted_setup.txt"
    @Flag(name: .long, help: "Print JSON.") var json = false

    /// c-kzg-4844's test vector verify_kzg_proof_case_correct_proof_2_3: (commitment, z, y, proof).
    static let proof = (commitment: "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
                        z: "5eb7004fe57383e6c88b99d839937fddf3f99279353aaf8d5c9a75f91ce33c62",
                        y: "5ee1e9a4a06a02ca6ea14b0ca73415a8ba0fba888f18dde56df499b480d4b9e0",
                        proof: "a1fcd37a924af9ec04143b44853c26f6b0738f6e15a3e0755057e7d5460406c7e148adb0e2d608982140d0ae42fe0b3b")

    /// Best of five rounds of `n` verifications; prints seconds per verification.
    static let ckzgScript = """
        import sys, time, ckzg
        setup = ckzg.load_trusted_setup(sys.argv[1], 0)
        c, z, y, p = (bytes.fromhex(a) for a in sys.argv[2:6])
        n = int(sys.argv[6])
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(n):
                assert ckzg.verify_kzg_proof(c, z, y, p, setup)
            best = min(best, (time.perf_counter() - start) / n)
        print(best)
        """

    func run() throws {
        try reportingErrors {
            guard iterations > 0 else { throw BenchError.options("--iterations", mustBe: "positive") }
            #if DEBUG
            var err = StandardError()
            print("ankr-bench: warning: this is a debug build; run `swift build -c release` for real numbers", to: &err)
            #endif
            let ours = try Self.ours(iterations: iterations)
            let theirs = try ckzg.map { try Self.baseline(python: $0, setup: setup, iterations: iterations) }
            if json {
                var row: [String: JSON] = ["workload": .string("kzg point evaluation"), "ankr_seconds": .double(ours)]
                if let theirs { row["ckzg_seconds"] = .double(theirs); row["ankr_over_ckzg_time"] = .double(ours / theirs) }
                print(JSON.object(row).text)
                return
            }
            var line = String(format: "kzg point evaluation  Ankr %8.3f ms/verification", ours * 1e3)
            if let theirs { line += String(format: "  ckzg %7.3f ms  (Ankr takes %.1f× ckzg's time)", theirs * 1e3, ours / theirs) }
            print(line)
        }
    }

    static func input() throws -> [UInt8] {
        let commitment = try Hex.decode(proof.commitment)
        var hash = Array(SHA256.hash(data: commitment))
        hash[0] = 1
        return try hash + Hex.decode(proof.z) + Hex.decode(proof.y) + commitment + Hex.decode(proof.proof)
    }

    /// Seconds per call of the precompile at 0x0a on the valid proof (each call must succeed).
    static func ours(iterations: Int) throws -> Double {
        guard let contract = Precompiles.contract(at: Precompiles.addresses[9]) else { throw KZGBenchError.noPrecompile }
        let input = try input()
        let first = contract(input, 50_000)
        guard first.status == .success else { throw BenchError.workloadFailed(status: "\(first.status)") }
        var failures = 0
        let seconds = Stopwatch.secondsPerCall(iterations: iterations) {
            if contract(input, 50_000).status != .success { failures += 1 }
        }
        guard failures == 0 else { throw KZGBenchError.verificationFlipped(failures: failures) }
        return seconds
    }

    static func baseline(python: String, setup: String, iterations: Int) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", ckzgScript, setup, proof.commitment, proof.z, proof.y, proof.proof, String(iterations)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let seconds = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw KZGBenchError.ckzgUnavailable(python: python, setup: setup)
        }
        return seconds
    }
}
