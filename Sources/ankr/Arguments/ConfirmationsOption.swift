import AnkrCommandLine
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import ArgumentParser

/// `--confirmations`: how many blocks deep on the canonical chain a transaction must be before a
/// command reports it. By default 1 on a development chain the node mines alone (no peer can offer
/// a competing branch) and on an application chain (its operator alone seals, and makes blocks only when there is
/// something to include: blocks on top of a transaction may never come), 3 anywhere else: a busy 3-node PoUW devnet
/// was seen replacing blocks that had one, and once two, blocks on top of them, never three.
struct ConfirmationsOption: ParsableArguments {
    @Option(help: """
        Report a transaction only once its block is this many blocks deep on the canonical chain, following it \
        into a new block if its block is orphaned (1 to 1000; default 1 on a single-node development chain and on an \
        application chain, else 3).
        """)
    var confirmations: Int?

    func validate() throws {
        if let confirmations, !(1...ConfirmationWaiter.maxConfirmations).contains(confirmations) {
            throw ValidationError("--confirmations must be 1 to \(ConfirmationWaiter.maxConfirmations), not \(confirmations)")
        }
    }

    /// The default for a node on chain `chainID` with `peers` peers: 1 only for the development
    /// chain id with no peer, where nothing can reorganise the node's chain.
    static func defaultConfirmations(chainID: UInt64, peers: UInt64) -> Int {
        chainID == DevGenesis.chainID && peers == 0 ? 1 : 3
    }

    /// The count given, or the default for the node behind `client` (asked with `eth_chainId`, `net_peerCount` and, on an
    /// Ankr node, `ankr_nodeInfo`'s consensus).
    func count(on client: EthClient) throws -> Int {
        if let confirmations { return confirmations }
        if (try? client.rpc.call("ankr_nodeInfo", []))?["consensus"]?.string == "operator" { return 1 }
        return Self.defaultConfirmations(chainID: try client.chainID(), peers: try client.peerCount())
    }

    /// Waits until `hash` succeeded ``count(on:)`` blocks deep (re-sending `raw` to a node that lost
    /// it), telling progress on stderr so stdout stays the command's answer; `seconds` is the
    /// allowance for the first confirmation.
    func waitForSuccess(_ hash: H256, resending raw: [UInt8]?, with transactor: Transactor, seconds: Double = 120) throws -> EthClient.Receipt {
        try transactor.waitForSuccess(hash, confirmations: try count(on: transactor.client), seconds: seconds, resending: raw,
                                      progress: Self.report)
    }

    /// Prints a waiter's progress line on stderr.
    static func report(_ progress: ConfirmationProgress) {
        FileHandleStderr.write("\(progress)\n")
    }
}
