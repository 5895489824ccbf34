import AnkrCommandLine
import AnkrDCAP
import AnkrPrimitives
import ArgumentParser

/// `ankr attestation verify`: verifies an Intel DCAP quote (SGX v3, TDX v4 and v5) against collateral in dcap-qvl's
/// JSON layout at a given time, and prints the verdict with the enclave's measurement and platform.
struct VerifyQuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a DCAP quote: signatures, certificate chains to the root, CRLs, TCB info and QE identity.",
        discussion: """
            Prints the TCB status and advisories, the TEE type, the measurement (MRENCLAVE, or MRTD and RTMR0-3), \
            the signer (MRSIGNER), ISV product id and SVN, the debug flag, the report data and the platform (PPID, FMSPC). \
            A rejected quote exits with status 1 and one line on stderr naming the reason.
            """)

    @Argument(help: "The quote file (raw bytes).") var quote: String
    @Option(help: "The collateral JSON file (dcap-qvl's layout: tcb_info, qe_identity, their signatures and issuer chains, CRLs).")
    var collateral: String
    @Option(help: ArgumentHelp(
        "The verification time, unix seconds or ISO-8601 (2025-06-25T00:00:00Z). Required: it is an input, not the clock, "
            + "so a verdict can be reproduced; certificates, CRLs and collateral are checked at this time.",
        valueName: "unix-seconds|ISO-8601"))
    var time: VerificationTime
    @Option(help: ArgumentHelp("The trusted root: a P-256 public key in hex, or a PEM file with a certificate or public key (default: Intel's SGX Root CA).",
                               valueName: "hex|pem-file"))
    var root: String?
    @Flag(help: "Accept a debug-mode enclave or TD (refused by default: its memory is readable by the host).") var allowDebug = false
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            let quoteBytes = try BoundedFile.read(quote, limit: Quote.maximumSize, what: "quote")
            let collateralBytes = try BoundedFile.read(collateral, limit: Collateral.Limits.document, what: "collateral")
            let verifier = QuoteVerifier(trustedRootPublicKey: try root.map(TrustedRoot.publicKey) ?? QuoteVerifier.intelRootCAPublicKey,
                                         allowDebug: allowDebug)
            let parsed = try Collateral(json: collateralBytes)
            let verified: VerifiedQuote
            do {
                verified = try verifier.verify(quote: quoteBytes, collateral: parsed, time: time.seconds)
            } catch {
                throw CommandFailure("quote rejected: \(error)")
            }
            if json {
                JSONOutput.print(verified.reportJSON)
            } else {
                let lines = verified.reportLines
                let width = (lines.map(\.label.count).max() ?? 0) + 2
                for (label, value) in lines {
                    print(label + ":" + String(repeating: " ", count: width - label.count - 1) + value)
                }
            }
        }
    }
}
