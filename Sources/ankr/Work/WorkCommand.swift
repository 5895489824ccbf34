import AnkrChain
import AnkrCommandLine
import AnkrPrimitives
import AnkrRPC
import AnkrSandbox
import AnkrWork
import ArgumentParser
import Foundation
import WAT

/// `ankr work …`: buy computation from the miners through the WorkMarket.
struct WorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work", abstract: "Post useful-work jobs to the WorkMarket, follow them, read their results.",
        subcommands: [Post.self, Status.self, Results.self, Cancel.self, Dispute.self, Run.self, ABIJSON.self])

    /// A module from a `.wasm` file, or assembled from a `.wat` file.
    static func loadModule(_ path: String) throws -> WorkModule {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
        var bytes = [UInt8](data)
        if path.hasSuffix(".wat") {
            do { bytes = try wat2wasm(String(decoding: data, as: UTF8.self)) } catch { throw CommandFailure("\(path): \(error)") }
        }
        do { return try WorkModule(bytes: bytes) } catch { throw CommandFailure("\(path): \(error)") }
    }

    /// Subtask inputs: every regular file of a directory, by name, or one file.
    static func loadInputs(_ path: String) throws -> [(String, [UInt8])] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CommandFailure("\(path) does not exist") }
        let files: [URL]
        if isDirectory.boolValue {
            let url = URL(fileURLWithPath: path)
            files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: [.isRegularFileKey])
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } else {
            files = [URL(fileURLWithPath: path)]
        }
        guard !files.isEmpty else { throw CommandFailure("\(path) holds no input files") }
        return try files.map { url in
            guard let data = FileManager.default.contents(atPath: url.path) else { throw CommandFailure("cannot read \(url.path)") }
            return (url.lastPathComponent, [UInt8](data))
        }
    }

    /// Job ids start at 1: 0 is refused with the usage error, like any other value that is not an id.
    static func validate(job: UInt256) throws {
        guard !job.isZero else { throw ValidationError("0 is not a job id") }
    }

    /// A `0x` quantity of a `work_` reply (zero when absent, as the node omits what it has not got).
    static func quantity(_ value: JSON?) -> UInt256 { value?.string.flatMap { try? UInt256(parsing: $0) } ?? .zero }

    struct Post: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post a job: a module and one subtask per input file, paid per unit of fuel from an escrow sent with it.")

        @Option(help: "The module: .wasm, or .wat (assembled here).")
        var module: String

        @Option(help: "A directory whose files are the subtask inputs (sorted by name), or one input file.")
        var inputs: String

        @Option(help: "Price per unit of fuel: wei, or with a unit (1gwei).")
        var price: Amount

        @Option(name: .customLong("max-fuel"), help: "Fuel budget of each subtask.")
        var maxFuel: UInt64 = 10_000_000

        @Flag(help: "Wait until the job is on chain (--confirmations deep; giving that implies this) and print its id.")
        var wait = false

        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let module = try WorkCommand.loadModule(self.module)
                let files = try WorkCommand.loadInputs(inputs)
                let perFuel = price.wei
                let (perTask, o1) = perFuel.multipliedReportingOverflow(by: UInt256(maxFuel))
                let (escrow, o2) = perTask.multipliedReportingOverflow(by: UInt256(files.count))
                guard !o1, !o2 else { throw CommandFailure("price × max fuel × subtasks overflows") }
                // Send the module's bytes only when the chain does not store it yet.
                let stored = try call.view(WorkMarket.address, "getModule(bytes32)", [.fixedBytes(module.hash.bytes)], returns: [.bytes]).first != .bytes([])
                let data = try WorkMarket.postJobCall(module: stored ? [] : module.bytes, moduleHash: module.hash, inputs: files.map(\.1),
                                                      maxFuelPerSubtask: maxFuel, pricePerFuel: perFuel)
                let transactor = try call.transactor()
                let transaction = try transactor.sign(to: WorkMarket.address, value: escrow, data: data)
                let hash = try transactor.client.send(transaction)
                print("posted \(files.count) subtasks of module \(module.hash), escrow \(Amount.format(escrow)) ANKR: \(hash)")
                guard wait || call.confirmation.confirmations != nil else { return }
                let logs = try call.confirmation.waitForSuccess(hash, resending: transaction.encoded, with: transactor).logs
                guard let topics = ContractCall.topics(of: "JobPosted", in: logs, interface: WorkMarket.interface), topics.count > 1 else {
                    throw CommandFailure("no JobPosted event in \(hash)")
                }
                print("job \(topics[1].word)")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job's progress: subtasks done, escrow left, who ran them.")

        @Argument(help: "Job id.")
        var job: UInt256

        @Flag(help: "Keep redrawing until the job is complete or cancelled.")
        var follow = false

        @OptionGroup var node: RPCOption

        func validate() throws { try WorkCommand.validate(job: job) }

        func run() throws {
            try reportingErrors {
                let id = job
                let rpc = try node.client()
                while true {
                    let info = try rpc.call("work_getJob", [.string(id.hexQuantity)])
                    guard case .object = info else { throw CommandFailure("no job \(id)") }
                    let total = WorkCommand.quantity(info["subtasks"]).uint64 ?? 0
                    let done = WorkCommand.quantity(info["completed"]).uint64 ?? 0
                    let width = 30, filled = total == 0 ? 0 : Int(done * UInt64(width) / total)
                    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                    let status = info["status"]?.string ?? "?"
                    print("job \(id) [\(bar)] \(done)/\(total) subtasks  \(status)  escrow left \(Amount.format(WorkCommand.quantity(info["escrow"]))) ANKR"
                          + "  module \(info["moduleHash"]?.string ?? "?")")
                    fflush(nil)
                    guard follow, status == "open" else { return }
                    Thread.sleep(forTimeInterval: 2)
                }
            }
        }
    }

    struct Results: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job's results: worker, fuel, payment and output of each subtask.")

        @Argument(help: "Job id.")
        var job: UInt256

        @Option(help: "Also write each output to <dir>/<index>.out.")
        var out: String?

        @Flag(help: "Print the node's JSON.")
        var json = false

        @OptionGroup var node: RPCOption

        func validate() throws { try WorkCommand.validate(job: job) }

        func run() throws {
            try reportingErrors {
                let reply = try node.client().call("work_getResults", [.string(job.hexQuantity)])
                guard let results = reply.array, results.allSatisfy({ $0.object != nil }) else { throw CommandFailure("no job \(job)") }
                if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
                if json { JSONOutput.print(pretty: true, reply) }
                for r in results {
                    let index = WorkCommand.quantity(r["index"])
                    guard let worker = r["worker"]?.string, let output = r["output"]?.string else {
                        if !json { print("\(index)  pending") }
                        continue
                    }
                    if !json {
                        print("\(index)  \(r["status"]?.string ?? "?")  worker \(worker)  fuel \(WorkCommand.quantity(r["fuel"]))  "
                              + "paid \(Amount.format(WorkCommand.quantity(r["payment"]))) ANKR  output \(output)")
                    }
                    if let out {
                        try Data(try Hex.decode(output)).write(to: URL(fileURLWithPath: out).appendingPathComponent("\(index).out"))
                    }
                }
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job you posted: no more results, the unpaid escrow comes back.")

        @Argument(help: "Job id.")
        var job: UInt256

        @OptionGroup var call: ContractCall

        func validate() throws { try WorkCommand.validate(job: job) }

        func run() throws {
            try reportingErrors {
                let (hash, _) = try call.send(to: WorkMarket.address, data: try ABI.encodeCall("cancelJob(uint256)", [.uint(job)]))
                print("cancelled job \(job): \(hash)")
            }
        }
    }

    struct Dispute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dispute a result: the chain re-runs the subtask and, if it was wrong, pays you the worker's bond minus the refund.")

        @Argument(help: "Job id.")
        var job: UInt256

        @Argument(help: "Subtask index.")
        var index: UInt64

        @OptionGroup var call: ContractCall

        func validate() throws { try WorkCommand.validate(job: job) }

        func run() throws {
            try reportingErrors {
                let (hash, _) = try call.send(to: WorkMarket.address,
                                              data: try ABI.encodeCall("dispute(uint256,uint256)", [.uint(job), .uint(UInt256(index))]))
                print("result \(index) of job \(job) was wrong: the worker's bond is slashed (\(hash))")
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a module on one input locally, metered as miners run it: prints fuel and output.")

        @Option(help: "The module: .wasm or .wat.")
        var module: String

        @Option(help: "Input file.")
        var input: String

        @Option(help: "Fuel budget.")
        var fuel: UInt64 = 50_000_000

        func run() throws {
            try reportingErrors {
                let work = try WorkCommand.loadModule(module)
                guard let data = FileManager.default.contents(atPath: input) else { throw CommandFailure("cannot read \(input)") }
                let result: SubtaskResult
                do { result = try WasmSandbox().run(work, input: [UInt8](data), fuel: fuel) } catch { throw CommandFailure("\(error)") }
                print("module \(work.hash)\nfuel \(result.fuelUsed)\noutput \(result.output.hexPrefixed)")
            }
        }
    }

    struct ABIJSON: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "abi", abstract: "Print the WorkMarket's ABI JSON (as shipped in abi/WorkMarket.json).")

        func run() throws { print(WorkMarket.abi, terminator: "") }
    }
}
