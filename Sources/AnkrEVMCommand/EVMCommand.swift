import AnkrCommandLine
import AnkrEVM
import AnkrPrimitives
import ArgumentParser
import Foundation

/// `ankr evm`: the EVM on its own — official state tests and quick experiments.
public struct EVMCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "evm", abstract: "Run the EVM alone: GeneralStateTests fixtures, or a piece of bytecode.", subcommands: [StateTestCommand.self, Run.self, Batch.self])

    struct StateTestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "statetest",
            abstract: "Run GeneralStateTests fixtures (files or directories); one JSON object per case; exit 1 when any fails.")

        @Argument(help: "Fixture files or directories (searched recursively for .json).") var paths: [String]
        @Option(help: "The fork whose post states are checked.") var fork = "Cancun"
        @Flag(help: "Print only failing cases and a summary per directory.") var quiet = false

        func run() throws {
            try reportingErrors {
                var files = [URL]()
                for p in paths {
                    var isDir: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { throw CommandFailure("\(p) does not exist") }
                    if isDir.boolValue {
                        let e = FileManager.default.enumerator(at: URL(fileURLWithPath: p), includingPropertiesForKeys: nil)
                        while let u = e?.nextObject() as? URL { if u.pathExtension == "json" { files.append(u) } }
                    } else {
                        files.append(URL(fileURLWithPath: p))
                    }
                }
                var failed = 0, total = 0
                var perDirectory = [String: (pass: Int, total: Int)]()
                for file in files.sorted(by: { $0.path < $1.path }) {
                    let results: [StateTest.Result]
                    do { results = try runOnBigStack { try StateTest.run(file: file, fork: fork) } } catch {
                        FileHandleStderr.write("ankr: error: \(file.path): \(error)\n")
                        failed += 1
                        continue
                    }
                    let dir = file.deletingLastPathComponent().lastPathComponent
                    for r in results {
                        total += 1
                        perDirectory[dir, default: (0, 0)].total += 1
                        if r.pass { perDirectory[dir, default: (0, 0)].pass += 1 } else { failed += 1 }
                        if !quiet || !r.pass { JSONOutput.print(r.json) }
                    }
                    fflush(nil)
                }
                if quiet {
                    for (dir, c) in perDirectory.sorted(by: { $0.key < $1.key }) { print("\(dir): \(c.pass)/\(c.total)") }
                    print("total: \(total - failed)/\(total)")
                }
                if failed > 0 { throw ExitCode(1) }
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run bytecode in a fresh state; prints the status, gas used, output and logs.")

        @Option(help: "Contract code (hex).") var code: HexBytes
        @Option(help: "Call data (hex).") var input = HexBytes([])
        @Option(help: "Gas to give the call.") var gas: UInt64 = 10_000_000
        @Option(help: "Value to send (wei).") var value = UInt256.zero
        @Flag(help: "Print an EIP-3155 trace to stderr: one JSON line per opcode (as revm and geth's evm print it), then a summary line.")
        var trace = false
        @Flag(help: "With --trace, add each step's memory (hex) to its line.") var traceMemory = false

        func run() throws {
            try reportingErrors {
                let bytecode = code.bytes, data = input.bytes, wei = value
                let state = InMemoryEVMState()
                let caller = try Address(hex: "0x000000000000000000000000000000000000cafe")
                let contract = try Address(hex: "0x000000000000000000000000000000000000c0de")
                state.setAccount(caller, EVMAccount(balance: wei))
                state.setAccount(contract, EVMAccount(code: bytecode))
                state.beginTransaction()
                let block = BlockEnvironment(chainID: 7331, coinbase: .zero, number: 1, timestamp: UInt64(Date().timeIntervalSince1970), gasLimit: 30_000_000, baseFee: .zero)
                // Lines go to stderr as each opcode completes, so stdout keeps the one JSON result and a trace of a
                // program that loops until its gas runs out streams instead of piling up.
                let tracer = trace ? EIP3155Tracer(includeMemory: traceMemory) { FileHandleStderr.write($0 + "\n") } : nil
                let evm = EVM(state: state, block: block, tx: TransactionEnvironment(origin: caller, gasPrice: .zero), tracer: tracer)
                evm.warm(caller); evm.warm(contract)
                let started = Date()
                let result = try runOnBigStack {
                    evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: wei, transfersValue: true, input: data, gas: gas, isStatic: false, depth: 0))
                }
                let seconds = Date().timeIntervalSince(started)
                let status: String
                switch result.status {
                case .success: status = "success"
                case .revert: status = "revert"
                case .failure(let why): status = "failure: \(why)"
                }
                JSONOutput.print(pretty: true, ["status": .string(status), "gasUsed": .int(clamping: gas - result.gasLeft), "output": .string(result.output.hexPrefixed),
                                                "logs": .array(evm.logs.map { ["topics": .array($0.topics.map { .string($0.description) }), "data": .string($0.data.hexPrefixed)] }),
                                                "storage": .array((state.storages[contract] ?? [:]).map { [$0.key.hexQuantity: .string($0.value.hexQuantity)] }),
                                                "seconds": .double(seconds)])
            }
        }
    }
}
