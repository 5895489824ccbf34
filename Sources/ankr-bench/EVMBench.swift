import AnkrEVM
import AnkrPrimitives
import ArgumentParser
import Foundation

/// EVM speed in Mgas/s on contract-heavy loops, against py-evm running the same bytecode in the same
/// run (`--pyevm <python with py-evm>`); the gas each engine used must agree, or the run fails.
struct EVMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evm", abstract: "EVM Mgas/s on a keccak loop, a storage-heavy loop, an ERC-20-style transfer loop and bn254 pairings, against py-evm.")

    @Option(help: "Loop iterations per workload.") var iterations: UInt16 = 20_000
    @Option(help: "A Python interpreter with py-evm installed (e.g. a venv's bin/python); without it only Ankr is measured.") var pyevm: String?
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(help: "Also run each workload under each tracer (no-op, callTracer, the opcode logger, EIP-3155 lines) and print the overhead.")
    var tracing = false

    static let gas: UInt64 = 1_000_000_000

    func workloads() -> [(String, [UInt8])] {
        let n = [UInt8(iterations >> 8), UInt8(iterations & 0xff)]
        // PUSH2 n; loop: keccak(mem[0..32]) → mem[0]; n -= 1; jump while n ≠ 0.
        let keccak: [UInt8] = [0x61] + n + [0x5b, 0x60, 0x20, 0x60, 0x00, 0x20, 0x60, 0x00, 0x52, 0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x03, 0x57, 0x00]
        // PUSH2 n; loop: sstore(n, n); n -= 1 — a fresh slot every iteration.
        let storage: [UInt8] = [0x61] + n + [0x5b, 0x80, 0x80, 0x55, 0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x03, 0x57, 0x00]
        // balances[a] -= 1; balances[b] += 1 with Solidity's mapping slots keccak(key ‖ 0), n times.
        let erc20: [UInt8] = [0x60, 0xaa, 0x60, 0x00, 0x52, 0x61] + n + [
            0x5b, 0x60, 0x40, 0x60, 0x00, 0x20, 0x80, 0x54, 0x60, 0x01, 0x90, 0x03, 0x90, 0x55,
            0x60, 0xbb, 0x60, 0x00, 0x52, 0x60, 0x40, 0x60, 0x00, 0x20, 0x80, 0x54, 0x60, 0x01, 0x01, 0x90, 0x55,
            0x60, 0xaa, 0x60, 0x00, 0x52, 0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x08, 0x57, 0x00,
        ]
        // k STATICCALLs of the bn254 pairing precompile on e(G1, G2)·e(−G1, G2), copied from the code's tail.
        let k = UInt8(max(1, min(255, Int(iterations) / 4_000)))
        let pairingInput = Self.pairingInput
        let pairing: [UInt8] = [0x61, 0x01, 0x80, 0x61, 0x00, 0x24, 0x60, 0x00, 0x39, 0x60, k,
                                0x5b, 0x60, 0x20, 0x61, 0x01, 0x80, 0x61, 0x01, 0x80, 0x60, 0x00, 0x60, 0x08, 0x5a, 0xfa, 0x50,
                                0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x0b, 0x57, 0x00] + pairingInput
        return [("keccak loop", keccak), ("storage writes", storage), ("ERC-20 transfers", erc20), ("bn254 pairings", pairing)]
    }

    /// (G1, G2) and (−G1, G2) with the EIP-197 generators: 384 bytes whose pairing check is 1.
    static var pairingInput: [UInt8] {
        let p = (try? UInt256(parsing: "21888242871839275222246405745257275088696311157297823662689037894645226208583")) ?? .zero
        let g2 = ["11559732032986387107991004021392285783925812861821192530917403151452391805634",
                  "10857046999023057135944570762232829481370756359578518086990519993285655852781",
                  "4082367875863433681332203403145435568316851327593401208105741076214120093531",
                  "8495653923123431417604973247489272438418190587263600148770280649306958101930"]
            .flatMap { ((try? UInt256(parsing: $0)) ?? .zero).bigEndianBytes }
        return UInt256.one.bigEndianBytes + UInt256(2).bigEndianBytes + g2 + UInt256.one.bigEndianBytes + (p &- UInt256(2)).bigEndianBytes + g2
    }

    func run() throws {
        try reportingErrors {
            guard iterations > 0 else { throw BenchError.options("--iterations", mustBe: "positive") }
            var rows: [Row] = []
            for (name, code) in workloads() {
                let (gasUsed, seconds) = try ours(code)
                var row = Row(workload: name, gasUsed: gasUsed, seconds: seconds)
                if let pyevm {
                    let (theirGas, theirSeconds) = try baseline(pyevm, code)
                    guard theirGas == gasUsed else { throw BenchError.gasMismatch(workload: name, pyevm: theirGas, ankr: gasUsed) }
                    row.pyevmSeconds = theirSeconds
                }
                rows.append(row)
            }
            let traced = tracing ? try tracingRows(rows) : []
            if json { print(JSON.array(rows.map(\.json) + traced.map(\.json)).text); return }
            for r in rows {
                var line = String(format: "%-17@ %10d gas  Ankr %7.1f Mgas/s", r.workload, r.gasUsed, r.megagasPerSecond)
                if let theirs = r.pyevmMegagasPerSecond, let x = r.speedup {
                    line += String(format: "  py-evm %6.2f Mgas/s  (%.0f× py-evm)", theirs, x)
                }
                print(line)
            }
            printTracing(traced)
        }
    }

    /// Best of three runs in a fresh state, each with a new tracer from `tracer` (nil: untraced).
    func ours(_ code: [UInt8], tracer: () -> (any EVMTracer)? = { nil }) throws -> (UInt64, Double) {
        var best = Double.infinity, used: UInt64 = 0
        for _ in 0..<3 {
            let state = InMemoryEVMState()
            let caller = try Address(hex: "0x000000000000000000000000000000000000cafe"), contract = try Address(hex: "0x000000000000000000000000000000000000c0de")
            state.setAccount(contract, EVMAccount(code: code))
            state.beginTransaction()
            let evm = EVM(state: state, block: BlockEnvironment(chainID: 7331, coinbase: .zero, number: 1, timestamp: 1, gasLimit: 30_000_000, baseFee: .zero),
                          tx: TransactionEnvironment(origin: caller, gasPrice: .zero), tracer: tracer())
            // As in a transaction (and in py-evm's message call), precompiles start warm.
            for p in Precompiles.addresses { evm.warm(p) }
            let started = Date()
            let result = evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: .zero, transfersValue: false, input: [],
                                              gas: Self.gas, isStatic: false, depth: 0))
            best = min(best, Date().timeIntervalSince(started))
            guard result.succeeded else { throw BenchError.workloadFailed(status: "\(result.status)") }
            used = Self.gas - result.gasLeft
        }
        return (used, best)
    }

    func baseline(_ python: String, _ code: [UInt8]) throws -> (UInt64, Double) {
        let script = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/pyevm-baseline.py")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [FileManager.default.fileExists(atPath: script.path) ? script.path : "scripts/pyevm-baseline.py", String(Self.gas), code.hexPrefixed]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let row = try? JSON(parsing: data),
              let gas = row["gasUsed"]?.int.flatMap(UInt64.init(exactly:)), let seconds = row["seconds"]?.double else {
            throw BenchError.pyevmUnavailable(python: python)
        }
        return (gas, seconds)
    }
}
