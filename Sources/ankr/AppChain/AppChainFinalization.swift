import AnkrAppChain
import AnkrCommandLine
import AnkrPrimitives
import AnkrRPC
import Foundation

/// Proves on the main chain what one application-chain transaction sent there — its withdrawals and messages — once
/// its block is final: what `ankr appchain finalize` and `ankr dapp lease record` do.
struct AppChainFinalization {
    /// The transaction's block is not final on the main chain yet.
    enum NotFinal: Error, CustomStringConvertible {
        case notCommitted(block: UInt64, latest: UInt64)
        /// Committed, inside its dispute window until `finalAt` (unix time, main chain's clock).
        case inWindow(block: UInt64, finalAt: UInt64)

        var description: String {
            switch self {
            case .notCommitted(let block, let latest): return "block \(block) is not committed to the main chain yet (latest \(latest))"
            case .inWindow(let block, let finalAt): return "block \(block) is final at \(finalAt) (unix time, main chain's clock): try again then"
            }
        }
    }

    /// One exit and what happened to it.
    struct Outcome {
        var exit: AppChainExit
        /// The main-chain transaction that proved it; nil when someone had already.
        var transaction: H256?
    }

    let chain: UInt64
    let app: EthClient
    let call: ContractCall

    init(chain: UInt64, appRPC: String, call: ContractCall) throws {
        guard (1...AppChainRegistry.maxChains).contains(chain) else { throw CommandFailure("--chain must be 1…\(AppChainRegistry.maxChains)") }
        guard let url = URL(string: appRPC), url.scheme == "http" || url.scheme == "https" else { throw CommandFailure("--app-rpc must be an http(s) URL") }
        self.chain = chain
        self.app = EthClient(rpc: RPCClient(url: url))
        self.call = call
    }

    var root: Address { AppChainRegistry.rootAddress(chain) }

    /// The transaction's successful receipt and the exits it made (at least one).
    func exits(of hash: H256) throws -> (receipt: EthClient.Receipt, exits: [AppChainExit]) {
        guard let receipt = try app.receipt(hash) else { throw CommandFailure("the application chain has no mined transaction \(hash)") }
        guard receipt.succeeded else { throw CommandFailure("transaction \(hash) failed on the application chain: it recorded nothing") }
        let exits = AppChainExit.exits(in: receipt.logs)
        guard !exits.isEmpty else { throw CommandFailure("transaction \(hash) made no withdrawal and sent no message to the main chain") }
        return (receipt, exits)
    }

    /// Proves every exit of transaction `hash` not proven yet; throws ``NotFinal`` while its block is in the window.
    /// Each proof is checked against the committed state root before anything is sent, so a lying node costs no gas.
    func finalize(_ hash: H256) throws -> [Outcome] {
        let (receipt, exits) = try exits(of: hash)
        let number = receipt.blockNumber
        let latest = try call.view(root, AppChainRoot.interface, "latestBlock")[0].uintValue?.uint64 ?? 0
        guard number <= latest else { throw NotFinal.notCommitted(block: number, latest: latest) }
        let c = try call.view(root, AppChainRoot.interface, "getCommitment", [.uint(UInt256(number))])
        guard c.count == 5, let headerHash = c[0].fixedBytesValue, let stateRoot = c[1].fixedBytesValue.flatMap({ try? H256($0) }) else {
            throw CommandFailure("the root answered getCommitment with something unexpected")
        }
        guard headerHash == receipt.blockHash.bytes else {
            throw CommandFailure("the main chain committed another block \(number) than the application chain's \(receipt.blockHash): it was rolled back")
        }
        guard c[3] == .bool(true) else {
            let window = try call.view(root, AppChainRoot.interface, "disputeWindow")[0].uintValue?.uint64 ?? 0
            throw NotFinal.inWindow(block: number, finalAt: (c[2].uintValue?.uint64 ?? 0) &+ window)
        }
        return try exits.map { exit in
            let done: Bool
            switch exit.kind {
            case .withdrawal: done = try call.view(root, AppChainRoot.interface, "withdrawalPaid", [.uint(UInt256(exit.index))])[0] == .bool(true)
            case .message: done = try call.view(root, AppChainRoot.interface, "messageFinalized", [.uint(UInt256(exit.index))])[0] == .bool(true)
            }
            guard !done else { return Outcome(exit: exit, transaction: nil) }
            let proof = try app.proof(of: AppChainBridge.address, slots: [exit.slot], block: .number(number))
            guard exit.isProven(by: proof, stateRoot: stateRoot) else {
                throw CommandFailure("the application chain's node gave a proof that does not match committed block \(number)'s state root")
            }
            let (sent, _) = try call.send(to: root, data: try exit.finalizeCall(number: number, proof: proof))
            return Outcome(exit: exit, transaction: sent)
        }
    }

    /// ``finalize(_:)``, retrying while the block is not final (or not committed yet) for up to `seconds`.
    func finalize(_ hash: H256, waiting seconds: UInt64) throws -> [Outcome] {
        let deadline = Date().addingTimeInterval(Double(min(seconds, 86_400)))
        while true {
            do {
                return try finalize(hash)
            } catch is NotFinal where Date() < deadline {
                Thread.sleep(forTimeInterval: 2)
            }
        }
    }
}
