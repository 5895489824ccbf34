import AnkrAppChain
import AnkrCommandLine
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

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
                guard (1...AppChainRegistry.maxChains).contains(chain) else { throw CommandFailure("--chain must be 1…\(AppChainRegistry.maxChains)") }
                guard let hash = try? H256(hex: tx) else { throw CommandFailure("--tx must be a 32-byte transaction hash") }
                guard let url = URL(string: appRPC), url.scheme == "http" || url.scheme == "https" else { throw CommandFailure("--app-rpc must be an http(s) URL") }
                let app = EthClient(rpc: RPCClient(url: url))
                let root = AppChainRegistry.rootAddress(chain)
                guard let receipt = try app.receipt(hash) else { throw CommandFailure("the application chain has no mined transaction \(hash)") }
                guard receipt.succeeded else { throw CommandFailure("transaction \(hash) failed on the application chain: it recorded nothing") }
                let exits = AppChainExit.exits(in: receipt.logs)
                guard !exits.isEmpty else { throw CommandFailure("transaction \(hash) made no withdrawal and sent no message to the main chain") }

                let number = receipt.blockNumber
                let latest = try call.view(root, AppChainRoot.interface, "latestBlock")[0].uintValue?.uint64 ?? 0
                guard number <= latest else { throw CommandFailure("block \(number) is not committed to the main chain yet (latest \(latest))") }
                let c = try call.view(root, AppChainRoot.interface, "getCommitment", [.uint(UInt256(number))])
                guard c.count == 5, let headerHash = c[0].fixedBytesValue, let stateRoot = c[1].fixedBytesValue.flatMap({ try? H256($0) }) else {
                    throw CommandFailure("the root answered getCommitment with something unexpected")
                }
                guard headerHash == receipt.blockHash.bytes else {
                    throw CommandFailure("the main chain committed another block \(number) than the application chain's \(receipt.blockHash): it was rolled back")
                }
                guard c[3] == .bool(true) else {
                    let window = try call.view(root, AppChainRoot.interface, "disputeWindow")[0].uintValue?.uint64 ?? 0
                    let at = (c[2].uintValue?.uint64 ?? 0) &+ window
                    throw CommandFailure("block \(number) is final at \(at) (unix time, main chain's clock): try again then")
                }
                for exit in exits {
                    var out: [String: JSON] = ["index": .int(clamping: exit.index)]
                    let done: Bool
                    switch exit.kind {
                    case .withdrawal(let to, let amount):
                        out["kind"] = "withdrawal"; out["to"] = .string(to.checksummed); out["amount"] = .string(amount.description)
                        done = try call.view(root, AppChainRoot.interface, "withdrawalPaid", [.uint(UInt256(exit.index))])[0] == .bool(true)
                    case .message(let m):
                        out["kind"] = "message"; out["sender"] = .string(m.sender.checksummed); out["target"] = .string(m.target.checksummed)
                        out["value"] = .string(m.value.description); out["data"] = .string(m.data.hexPrefixed)
                        done = try call.view(root, AppChainRoot.interface, "messageFinalized", [.uint(UInt256(exit.index))])[0] == .bool(true)
                    }
                    if done {
                        out["status"] = "already finalized"
                    } else {
                        let proof = try app.proof(of: AppChainBridge.address, slots: [exit.slot], block: .number(number))
                        guard exit.isProven(by: proof, stateRoot: stateRoot) else {
                            throw CommandFailure("the application chain's node gave a proof that does not match committed block \(number)'s state root")
                        }
                        let (sent, _) = try call.send(to: root, data: try exit.finalizeCall(number: number, proof: proof))
                        out["status"] = "finalized"; out["transaction"] = .string(sent.description)
                    }
                    JSONOutput.print(.object(out))
                }
            }
        }
    }
}
