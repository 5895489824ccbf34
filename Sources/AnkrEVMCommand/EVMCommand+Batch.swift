import AnkrCommandLine
import AnkrEVM
import AnkrPrimitives
import ArgumentParser
import Foundation

extension EVMCommand {
    /// `ankr evm batch`: transactions against their own pre-states, one JSON case per line of stdin,
    /// one JSON answer per line of stdout, in order — a differential fuzzer pays microseconds a case,
    /// not a process. Every case runs on one deep-stack thread (``DeepStack``: 1,024 nested frames
    /// recurse deeply), so no case pays for a thread of its own.
    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run transactions from JSON lines on stdin (pre-state, env, tx); print status, gas used, output, logs and post-state per line.",
            discussion: "A line that cannot be read is answered with {\"error\": …} and the batch goes on.")

        func run() throws {
            try reportingErrors {
                try DeepStack.run {
                    while let line = readLine(strippingNewline: true) {
                        if line.allSatisfy(\.isWhitespace) { continue }
                        let answer: JSON
                        do throws(BatchCaseError) { answer = try BatchCase(line: line).run() } catch { answer = ["error": .string(error.description)] }
                        JSONOutput.print(answer)
                        // The driver waits for each answer before it sends the next case.
                        fflush(nil)
                    }
                }
            }
        }
    }
}
