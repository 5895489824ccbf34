import AnkrPrimitives
import Foundation

/// revm (PyPI pyrevm) running `scripts/revm-baseline.py` as a worker: one run per request, so its runs can be
/// interleaved with Ankr's in the same process lifetime (Python's start-up and imports are paid once).
final class EVMBenchRevm {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered: [UInt8] = []
    let python: String

    /// Starts the worker with `python` (a Python with pyrevm 0.3.7).
    init(python: String) throws {
        self.python = python
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [EVMBench.script("revm-baseline.py")]
        process.standardInput = input
        process.standardOutput = output
        // A worker that exits early (no pyrevm) must fail a write with EPIPE, which names it, not kill the bench.
        signal(SIGPIPE, SIG_IGN)
        do { try process.run() } catch { throw EVMBenchError.revmUnavailable(python: python) }
    }

    /// One run of `workload` in a fresh revm: the transaction's gas used (21,000 intrinsic included) and the seconds
    /// `message_call` took.
    func run(_ workload: EVMBench.Workload, gas: UInt64) throws -> (gasUsed: UInt64, seconds: Double) {
        let accounts = JSON.object(Dictionary(workload.accounts.map { ($0.address, JSON.string($0.code.hexPrefixed)) }, uniquingKeysWith: { a, _ in a }))
        let request = JSON.object(["gas": .int(clamping: gas), "code": .string(workload.code.hexPrefixed), "accounts": accounts])
        guard let line = try? exchange(request.text), let answer = try? JSON(parsing: Data(line)) else {
            throw EVMBenchError.revmUnavailable(python: python)
        }
        if let error = answer["error"]?.string { throw EVMBenchError.revmFailed(workload: workload.name, reason: error) }
        guard let gasUsed = answer["gasUsed"]?.int.flatMap(UInt64.init(exactly:)), let seconds = answer["seconds"]?.double else {
            throw EVMBenchError.revmUnavailable(python: python)
        }
        return (gasUsed, seconds)
    }

    /// Sends one line and reads the worker's one-line answer.
    private func exchange(_ line: String) throws -> [UInt8] {
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        while true {
            if let end = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let answer = Array(buffered[..<end])
                buffered.removeSubrange(...end)
                return answer
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw EVMBenchError.revmUnavailable(python: python) }
            buffered += chunk
        }
    }

    /// Ends the worker (it exits when its input closes).
    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
