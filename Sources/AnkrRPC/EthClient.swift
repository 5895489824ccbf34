import AnkrChain
import AnkrPrimitives
import Foundation

/// A typed client of a node's `eth_` API, as go-ethereum's `ethclient`: each method sends one call
/// through ``RPCClient`` and reads its result into Swift values. A result of the wrong shape (bad hex,
/// a number past its range, a missing member) throws ``RPCClientError/unexpected(path:expected:found:)``.
public struct EthClient: Sendable {
    public let rpc: RPCClient

    public init(rpc: RPCClient) { self.rpc = rpc }

    public init(url: URL, timeout: TimeInterval = 30) { rpc = RPCClient(url: url, timeout: timeout) }

    /// `eth_chainId`.
    public func chainID() throws -> UInt64 { try rpc.call("eth_chainId", []).quantity64("eth_chainId") }

    /// `eth_blockNumber`: the head's number.
    public func blockNumber() throws -> UInt64 { try rpc.call("eth_blockNumber", []).quantity64("eth_blockNumber") }

    /// `web3_clientVersion`.
    public func clientVersion() throws -> String { try rpc.string("web3_clientVersion", []) }

    /// `net_peerCount`.
    public func peerCount() throws -> UInt64 { try rpc.call("net_peerCount", []).quantity64("net_peerCount") }

    /// `eth_getBalance`, in wei.
    public func balance(of account: Address, block: BlockTag = .latest) throws -> UInt256 {
        try rpc.call("eth_getBalance", [.string(account.checksummed), block.json]).quantity("eth_getBalance")
    }

    /// `eth_getTransactionCount`; by default the pending nonce (the next one to sign with).
    public func nonce(of account: Address, block: BlockTag = .pending) throws -> UInt64 {
        try rpc.call("eth_getTransactionCount", [.string(account.checksummed), block.json]).quantity64("eth_getTransactionCount")
    }

    /// `eth_getCode`.
    public func code(at account: Address, block: BlockTag = .latest) throws -> [UInt8] {
        try rpc.call("eth_getCode", [.string(account.checksummed), block.json]).bytes("eth_getCode")
    }

    /// `eth_gasPrice`: the next base fee plus the suggested tip.
    public func gasPrice() throws -> UInt256 { try rpc.call("eth_gasPrice", []).quantity("eth_gasPrice") }

    /// `eth_maxPriorityFeePerGas`: the suggested tip.
    public func maxPriorityFee() throws -> UInt256 { try rpc.call("eth_maxPriorityFeePerGas", []).quantity("eth_maxPriorityFeePerGas") }

    /// `eth_estimateGas` at the latest block.
    public func estimateGas(_ call: CallRequest) throws -> UInt64 {
        try rpc.call("eth_estimateGas", [call.json]).quantity64("eth_estimateGas")
    }

    /// `eth_call`: the return data (a revert is thrown as `.rpc` with code 3 and the data).
    public func call(_ call: CallRequest, block: BlockTag = .latest) throws -> [UInt8] {
        try rpc.call("eth_call", [call.json, block.json]).bytes("eth_call")
    }

    /// `eth_sendRawTransaction`: the transaction's hash.
    public func sendRawTransaction(_ raw: [UInt8]) throws -> H256 {
        try rpc.call("eth_sendRawTransaction", [.string(raw.hexPrefixed)]).h256("eth_sendRawTransaction")
    }

    /// Sends a signed transaction's encoding; see ``sendRawTransaction(_:)``.
    public func send(_ transaction: Transaction) throws -> H256 { try sendRawTransaction(transaction.encoded) }

    /// `eth_getTransactionReceipt`; nil while the transaction is pending or unknown.
    public func receipt(_ hash: H256) throws -> Receipt? {
        try rpc.call("eth_getTransactionReceipt", [.string(hash.description)]).optional { try Receipt(json: $0, path: "eth_getTransactionReceipt") }
    }

    /// `eth_getLogs`.
    public func logs(_ filter: LogFilter) throws -> [Log] {
        try rpc.call("eth_getLogs", [filter.json]).list("eth_getLogs").enumerated().map { i, log in
            try Log(json: log, path: "eth_getLogs[\(i)]")
        }
    }

    /// `eth_getBlockByNumber` without transaction bodies; nil for a block the node does not have.
    public func block(number: BlockTag) throws -> Block? {
        try rpc.call("eth_getBlockByNumber", [number.json, false]).optional { try Block(json: $0, path: "eth_getBlockByNumber") }
    }

    /// `eth_getTransactionByHash`; nil for a transaction the node does not know.
    public func transaction(_ hash: H256) throws -> TransactionInfo? {
        try rpc.call("eth_getTransactionByHash", [.string(hash.description)]).optional {
            try TransactionInfo(json: $0, path: "eth_getTransactionByHash")
        }
    }
}
