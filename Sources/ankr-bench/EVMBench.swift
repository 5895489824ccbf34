import AnkrEVM
import AnkrPrimitives
import ArgumentParser
import Foundation

/// EVM speed in Mgas/s on contract-heavy loops, against revm (`--revm <python with pyrevm>`) and py-evm
/// (`--pyevm <python with py-evm>`) running the same bytecode in the same run; the gas each engine used must
/// agree: a row where revm's differs says so and the run fails at the end, a py-evm difference stops the run.
struct EVMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evm", abstract: "EVM Mgas/s on arithmetic, keccak, storage, ERC-20-style, call-heavy and memory-heavy loops and bn254 pairings, against revm and py-evm.")

    @Option(help: "Loop iterations per workload (the arithmetic loop turns 10×, the keccak and memory loops 5× as often).")
    var iterations: UInt16 = 20_000
    @Option(help: "Timed runs per workload and engine, interleaved; the best counts.") var rounds = 5
    @Option(help: "A Python interpreter with pyrevm 0.3.7 installed (e.g. .venv-e2e/bin/python): revm runs the same bytecode in the same run.")
    var revm: String?
    @Option(help: "A Python interpreter with py-evm installed (e.g. a venv's bin/python); without it only Ankr is measured.") var pyevm: String?
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(help: "Also run each workload under each tracer (no-op, callTracer, the opcode logger, EIP-3155 lines) and print the overhead.")
    var tracing = false

    static let gas: UInt64 = 1_000_000_000

    func run() throws {
        try reportingErrors {
            guard iterations > 0 else { throw BenchError.options("--iterations", mustBe: "positive") }
            guard rounds > 0 else { throw BenchError.options("--rounds", mustBe: "positive") }
            let revm = try self.revm.map { try EVMBenchRevm(python: $0) }
            defer { revm?.close() }
            // Each round runs, per engine, an empty call and then the workload, Ankr and revm alternating, so a busy
            // neighbour on the machine hits both alike; each engine's best empty-run time is subtracted from its best
            // workload time (and revm's empty-run gas, the 21,000 intrinsic gas, from its gas).
            var ankrEmpty = Double.infinity, revmEmpty = (gasUsed: UInt64(0), seconds: Double.infinity)
            var measured: [(workload: Workload, gasUsed: UInt64, seconds: Double, revm: (gasUsed: UInt64, seconds: Double)?)] = []
            for workload in workloads() {
                var best = (gasUsed: UInt64(0), seconds: Double.infinity), theirs: (gasUsed: UInt64, seconds: Double)?
                for _ in 0..<rounds {
                    ankrEmpty = min(ankrEmpty, try ours(.empty).seconds)
                    let run = try ours(workload)
                    best = (run.gasUsed, min(best.seconds, run.seconds))
                    if let revm {
                        let empty = try revm.run(.empty, gas: Self.gas)
                        revmEmpty = (empty.gasUsed, min(revmEmpty.seconds, empty.seconds))
                        let run = try revm.run(workload, gas: Self.gas)
                        theirs = (run.gasUsed, min(theirs?.seconds ?? .infinity, run.seconds))
                    }
                }
                measured.append((workload, best.gasUsed, best.seconds, theirs))
            }
            var rows: [Row] = []
            for m in measured {
                var row = Row(workload: m.workload.name, gasUsed: m.gasUsed, seconds: Self.net(m.seconds, ankrEmpty))
                if let theirs = m.revm {
                    row.revmSeconds = Self.net(theirs.seconds, revmEmpty.seconds)
                    row.revmGasUsed = theirs.gasUsed >= revmEmpty.gasUsed ? theirs.gasUsed - revmEmpty.gasUsed : 0
                }
                if let pyevm {
                    let (theirGas, theirSeconds) = try baseline(pyevm, m.workload)
                    guard theirGas == m.gasUsed else { throw BenchError.gasMismatch(workload: m.workload.name, pyevm: theirGas, ankr: m.gasUsed) }
                    row.pyevmSeconds = theirSeconds
                }
                rows.append(row)
            }
            let traced = tracing ? try tracingRows(rows, empty: ankrEmpty) : []
            if json {
                print(JSON.array(rows.map(\.json) + traced.map(\.json)).text)
            } else {
                rows.forEach { print($0.line) }
                printTracing(traced)
                let revmNote = revm == nil ? "" : String(format: ", revm %.1f µs", revmEmpty.seconds * 1e6)
                print(String(format: "best of %d interleaved runs per engine, less the best empty run (Ankr %.1f µs%@)", rounds, ankrEmpty * 1e6, revmNote))
            }
            let differing = rows.filter(\.gasDiffers).map(\.workload)
            guard differing.isEmpty else { throw EVMBenchError.gasDiffers(workloads: differing) }
        }
    }

    /// A best time less the best empty-run time, kept above zero so a rate stays finite.
    static func net(_ seconds: Double, _ empty: Double) -> Double { max(seconds - empty, 1e-9) }

    /// One run of `workload` in a fresh state with a new tracer from `tracer` (nil: untraced): gas used and seconds.
    func ours(_ workload: Workload, tracer: () -> (any EVMTracer)? = { nil }) throws -> (gasUsed: UInt64, seconds: Double) {
        let state = InMemoryEVMState()
        let caller = try Address(hex: "0x000000000000000000000000000000000000cafe"), contract = try Address(hex: "0x000000000000000000000000000000000000c0de")
        state.setAccount(contract, EVMAccount(code: workload.code))
        for account in workload.accounts { state.setAccount(try Address(hex: account.address), EVMAccount(code: account.code)) }
        state.beginTransaction()
        let evm = EVM(state: state, block: BlockEnvironment(chainID: 7331, coinbase: .zero, number: 1, timestamp: 1, gasLimit: 30_000_000, baseFee: .zero),
                      tx: TransactionEnvironment(origin: caller, gasPrice: .zero), tracer: tracer())
        // As in a transaction (and in py-evm's and revm's message calls), precompiles start warm.
        for p in Precompiles.addresses { evm.warm(p) }
        let clock = ContinuousClock()
        let started = clock.now
        let result = evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: .zero, transfersValue: false, input: [],
                                          gas: Self.gas, isStatic: false, depth: 0))
        let seconds = (clock.now - started).seconds
        guard result.succeeded else { throw BenchError.workloadFailed(status: "\(result.status)") }
        return (Self.gas - result.gasLeft, seconds)
    }

    /// `scripts/<name>` beside the checkout this binary was built in (.build/<config>/ankr-bench), else relative
    /// to the working directory.
    static func script(_ name: String) -> String {
        let script = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/\(name)")
        return FileManager.default.fileExists(atPath: script.path) ? script.path : "scripts/\(name)"
    }

    /// py-evm's gas used and seconds on `workload` (one process per workload, as its start-up is slow).
    func baseline(_ python: String, _ workload: Workload) throws -> (UInt64, Double) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [Self.script("pyevm-baseline.py"), String(Self.gas), workload.code.hexPrefixed] + workload.accounts.map { "\($0.address)=\($0.code.hexPrefixed)" }
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
