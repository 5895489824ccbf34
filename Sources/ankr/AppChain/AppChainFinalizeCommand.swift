import AnkrAppChain
import AnkrCommandLine
import AnkrPrimitives
import ArgumentParser

extension AppChainCommand {
    struct Finalize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove on the main chain the withdrawals and messages an application-chain transaction made, once its block is final: each is paid out of the chain's root, once.")

        @Option(help: "The application chain's id in the registry.") var chain: UInt64
        @Option(help: "The application-chain transaction that withdrew or sent the messages.") var tx: String
        @Option(name: .customLong("app-rpc"), help: "The application chain's JSON-RPC URL (its proofs are checked against the committed state root before anything is sent).")
        var appRPC: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let finalization = try AppChainFinalization(chain: chain, appRPC: appRPC, call: call)
                guard let hash = try? H256(hex: tx) else { throw CommandFailure("--tx must be a 32-byte transaction hash") }
                for outcome in try finalization.finalize(hash) {
                    var out: [String: JSON] = ["index": .int(clamping: outcome.exit.index)]
                    switch outcome.exit.kind {
                    case .withdrawal(let to, let amount):
                        out["kind"] = "withdrawal"; out["to"] = .string(to.checksummed); out["amount"] = .string(amount.description)
                    case .message(let m):
                        out["kind"] = "message"; out["sender"] = .string(m.sender.checksummed); out["target"] = .string(m.target.checksummed)
                        out["value"] = .string(m.value.description); out["data"] = .string(m.data.hexPrefixed)
                    }
                    out["status"] = outcome.transaction == nil ? "already finalized" : "finalized"
                    if let sent = outcome.transaction { out["transaction"] = .string(sent.description) }
                    JSONOutput.print(.object(out))
                }
            }
        }
    }
}
