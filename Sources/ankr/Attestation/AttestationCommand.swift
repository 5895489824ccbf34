import ArgumentParser

/// `ankr attestation …`: offline tools for TEE attestation evidence.
struct AttestationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestation", abstract: "Attestation evidence: verify Intel DCAP quotes (SGX, TDX) offline.",
        subcommands: [VerifyQuoteCommand.self])
}
