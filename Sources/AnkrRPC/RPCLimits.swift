import Foundation

/// What a node lets any JSON-RPC caller make it do: which namespaces it serves (geth's `--http.api`),
/// how long one EVM call may run (`--rpc.evmtimeout`), how many expensive calls run at once, and
/// whether unprotected (pre-EIP-155) transactions are taken (`--rpc.allow-unprotected-txs`).
public struct RPCLimits: Sendable, Equatable {
    /// The namespaces served. A registered method outside them answers -32601.
    public var apis: Set<String> = RPCLimits.defaultAPIs
    /// Wall-clock limit of one `eth_call`, and of one whole `eth_estimateGas`; nil runs until the gas ends.
    public var evmTimeout: Duration? = .seconds(5)
    /// Most expensive calls (EVM runs, block scans) running at once; more are refused at once with -32005.
    public var maxConcurrentHeavyCalls = RPCLimits.defaultHeavyCalls
    /// Take legacy transactions signed without a chain id (replayable on every chain) over RPC.
    public var allowUnprotectedTransactions = false

    public init() {}

    /// Everything read-only plus transaction submission: what wallets, the explorer, the CLI and the
    /// dApps use. `admin` (methods that change the node itself, like `ankr_addPeer`) is left out. `personal`
    /// signs only with the public keys a development chain unlocks, and refuses on any other chain.
    public static let defaultAPIs: Set<String> = ["eth", "net", "web3", "ankr", "work", "nos", "plasma", "personal"]
    /// Every namespace a method can belong to. `txpool` (the pool's contents) is off by default, as in geth;
    /// so is `debug` (raw data and tracing), except on a `--dev` chain.
    public static let knownAPIs: Set<String> = defaultAPIs.union(["admin", "txpool", "debug"])
    /// Twice the cores: enough to keep them busy, few enough that cheap calls still find a thread.
    public static var defaultHeavyCalls: Int { 2 * max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// A duration as geth prints it in its timeout message: `5s`, `1.5s`, `300ms`.
    public static func describe(_ d: Duration) -> String {
        let (seconds, attoseconds) = d.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "\(seconds)s" }
        if seconds == 0 { return "\(milliseconds)ms" }
        var fraction = String(milliseconds)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(seconds).\(fraction)s"
    }
}
