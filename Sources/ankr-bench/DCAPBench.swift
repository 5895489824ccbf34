import AnkrDCAP
import AnkrPrimitives
import ArgumentParser
import Foundation

/// DCAP quote verification per quote with the collateral parsed once, against dcap-qvl (Phala's Rust verifier,
/// through its Python binding in `.venv-e2e`) verifying the same quote with the same collateral in the same run.
struct DCAPBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dcap", abstract: "Intel DCAP quote verification per quote (collateral parsed once), against dcap-qvl.")

    @Option(help: "The quote file.") var quote = "../shared/vectors/sgx/sgx_quote"
    @Option(help: "Its collateral (dcap-qvl's JSON layout).") var collateral = "../shared/vectors/sgx/sgx_quote_collateral.json"
    @Option(help: "Verification time, unix seconds, inside the collateral's windows.") var time: UInt64 = 1_750_809_600
    @Option(help: "Verifications per round (best of five rounds).") var iterations = 500
    @Option(help: "A Python with dcap-qvl installed; when absent, dcap-qvl is not measured.") var python = ".venv-e2e/bin/python"
    @Flag(name: .long, help: "Print JSON.") var json = false

    /// Times dcap-qvl as we time ourselves: collateral parsed once, best of five rounds of `iterations` verifications.
    static let baselineScript = """
        import sys, time, dcap_qvl
        quote = open(sys.argv[1], "rb").read()
        collateral = dcap_qvl.QuoteCollateralV3.from_json(open(sys.argv[2]).read())
        now, n = int(sys.argv[3]), int(sys.argv[4])
        dcap_qvl.verify(quote, collateral, now)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(n):
                dcap_qvl.verify(quote, collateral, now)
            best = min(best, (time.perf_counter() - start) / n)
        print(best)
        """

    func run() throws {
        try reportingErrors {
            guard iterations > 0 else { throw BenchError.options("--iterations", mustBe: "positive") }
            guard let quoteBytes = FileManager.default.contents(atPath: quote).map(Array.init) else { throw BenchError.unreadable(path: quote) }
            guard let collateralBytes = FileManager.default.contents(atPath: collateral).map(Array.init) else {
                throw BenchError.unreadable(path: collateral)
            }
            let parsed = try Collateral(json: collateralBytes)
            let verifier = QuoteVerifier()
            // A rejected quote would time the rejection path, not verification.
            let verdict = try verifier.verify(quote: quoteBytes, collateral: parsed, time: time)
            let ours = Stopwatch.secondsPerCall(iterations: iterations) {
                blackHole(try? verifier.verify(quote: quoteBytes, collateral: parsed, time: time))
            }
            let parsing = Stopwatch.secondsPerCall(iterations: iterations) { blackHole(try? Collateral(json: collateralBytes)) }
            let theirs = FileManager.default.isExecutableFile(atPath: python) ? try baseline() : nil
            if json {
                var row: [String: JSON] = ["status": .string(verdict.status.rawValue), "ankr_verify_seconds": .double(ours),
                                           "ankr_collateral_parse_seconds": .double(parsing), "iterations": .int(clamping: iterations)]
                if let theirs {
                    row["dcap_qvl_verify_seconds"] = .double(theirs)
                    row["ratio"] = .double(ours / theirs)
                }
                print(JSON.object(row).text)
                return
            }
            print(String(format: "Ankr verify        %8.3f ms per quote (collateral parsed once; target ≤ 5 ms; status %@)", ours * 1e3,
                         verdict.status.rawValue))
            print(String(format: "Ankr collateral    %8.3f ms per parse of the collateral JSON", parsing * 1e3))
            if let theirs {
                print(String(format: "dcap-qvl verify    %8.3f ms per quote (collateral parsed once)", theirs * 1e3))
                print(String(format: "Ankr takes         %8.2f× dcap-qvl's time", ours / theirs))
            } else {
                print("dcap-qvl verify    not measured (no Python at \(python))")
            }
        }
    }

    /// dcap-qvl's seconds per verification.
    func baseline() throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", Self.baselineScript, quote, collateral, String(time), String(iterations)]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let seconds = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              seconds > 0 else {
            throw BenchError.dcapQVLUnavailable(python: python)
        }
        return seconds
    }
}
