import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import Foundation

/// A chain for the eth_ and txpool_ tests, served through a method table. Alice is funded. `emitter` logs
/// TOPIC with its first calldata word as data; `forwarder` sends 5 wei of its own to bob, then calls
/// `reverter`, whose frame logs and moves 1 wei before it reverts. Block 1 holds alice's call to
/// emitter (data 7) and a 1-ether transfer to bob; block 2 is empty. The pool holds alice's nonce 2
/// (pending) and nonce 5 (queued behind a gap).
final class EthNamespaceTestChain: RPCBackend, @unchecked Sendable {
    static let alice = try! PrivateKey(hex: "0x" + String(repeating: "a2", count: 32))
    static let bob = try! Address(hex: "0x000000000000000000000000000000000000b0b0")
    static let emitter = try! Address(hex: "0x000000000000000000000000000000000000e0e1")
    static let forwarder = try! Address(hex: "0x000000000000000000000000000000000000e0e2")
    static let reverter = try! Address(hex: "0x000000000000000000000000000000000000e0e3")
    static let coinbase = try! Address(hex: "0x00000000000000000000000000000000c0ffee00")
    static let chainID: UInt64 = 4242
    static let topic = H256(word: UInt256(0xabcd))

    /// PUSH1 0 CALLDATALOAD PUSH1 0 MSTORE PUSH2 0xabcd PUSH1 32 PUSH1 0 LOG1 STOP
    static let emitterCode: [UInt8] = [0x60, 0x00, 0x35, 0x60, 0x00, 0x52, 0x61, 0xab, 0xcd, 0x60, 0x20, 0x60, 0x00, 0xa1, 0x00]
    /// CALL(gas, bob, 5, 0, 0, 0, 0) POP; CALL(gas, reverter, 0, 0, 0, 0, 0) POP; STOP
    static let forwarderCode: [UInt8] = [0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x05, 0x73] + bob.bytes + [0x5a, 0xf1, 0x50]
        + [0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73] + reverter.bytes + [0x5a, 0xf1, 0x50, 0x00]
    /// CALL(gas, bob, 1, 0, 0, 0, 0) POP; LOG0(0, 0); REVERT(0, 0)
    static let reverterCode: [UInt8] = [0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x01, 0x73] + bob.bytes + [0x5a, 0xf1, 0x50]
        + [0x60, 0x00, 0x60, 0x00, 0xa0, 0x60, 0x00, 0x60, 0x00, 0xfd]

    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "Ankr/test"
    let table: RPCMethodTable
    private(set) var block1: [Transaction] = []

    /// Gas of all calls of one eth_simulateV1 here: small, so an endless loop ends fast in a debug build.
    static let simulationGasBudget: UInt64 = 1_000_000

    init(limits: RPCLimits = EthNamespaceTestChain.limits, coinbase: Address? = EthNamespaceTestChain.coinbase) throws {
        chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: Self.chainID, alloc: [
            Self.alice.address: .init(balance: UInt256(10_000_000_000_000_000_000)),
            Self.emitter: .init(balance: .zero, code: Self.emitterCode),
            Self.forwarder: .init(balance: UInt256(100), code: Self.forwarderCode),
            Self.reverter: .init(balance: UInt256(100), code: Self.reverterCode),
        ]))
        mempool = Mempool(chainID: Self.chainID)
        table = RPCMethodTable(limits: limits)
        EthNamespace(backend: self, limits: limits, coinbase: coinbase, simulationGasBudget: Self.simulationGasBudget).register(in: table)
        TxPoolNamespace(backend: self).register(in: table)
        block1 = [try Self.tx(0, to: Self.emitter, data: UInt256(7).bigEndianBytes), try Self.tx(1, to: Self.bob, value: UInt256(1_000_000_000_000_000_000))]
        try seal(block1)
        try seal([])
        for nonce: UInt64 in [2, 5] { _ = try mempool.add(try Self.tx(nonce, to: Self.bob, value: .one), state: chain.state(at: chain.head), head: chain.head) }
    }

    /// eth, net, web3 and txpool.
    static var limits: RPCLimits {
        var limits = RPCLimits()
        limits.apis.insert("txpool")
        return limits
    }

    static func tx(_ nonce: UInt64, to: Address, value: UInt256 = .zero, data: [UInt8] = []) throws -> Transaction {
        try Transaction.dynamicFee(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(100_000_000_000), gasLimit: 100_000,
                                   to: to, value: value, data: data).signed(with: alice)
    }

    private func seal(_ txs: [Transaction]) throws {
        let built = try chain.produceBlock(candidates: txs.map { ($0, Self.alice.address) }, coinbase: Self.coinbase,
                                           timestamp: chain.head.timestamp + 12)
        try chain.importBlock(built, sealed: built.block)
    }

    func submit(_ transaction: Transaction) throws -> H256 { transaction.hash }

    /// The whole response object of one call.
    func rpc(_ method: String, _ params: String) throws -> JSON {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        guard let reply = table.handle(body: Data(body.utf8)) else { throw EthNamespaceTestChainError.noReply(method) }
        return try JSON(parsing: reply)
    }

    /// The `result` of one call; a JSON-RPC error fails with its message.
    func result(_ method: String, _ params: String) throws -> JSON {
        let reply = try rpc(method, params)
        if let error = reply["error"] { throw EthNamespaceTestChainError.answeredError(method, "\(error)") }
        return reply["result"] ?? .null
    }

    /// The error code of one call (nil when it answered a result).
    func errorCode(_ method: String, _ params: String) throws -> Int64? {
        try rpc(method, params)["error"]?["code"]?.int
    }
}
