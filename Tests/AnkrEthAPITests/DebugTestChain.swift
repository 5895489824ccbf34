import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import Foundation

/// A chain for the debug tests, served through a method table: alice is funded; `store` keeps its
/// first calldata word in slot 1, `caller` CALLs `store` with no calldata, `reverter` reverts, `looper`
/// loops forever, `prober` reads `probed`'s code size. Block 1 holds alice's calls to store (5),
/// caller and reverter; block 2 a plain transfer.
final class DebugTestChain: RPCBackend, @unchecked Sendable {
    static let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    static let store = try! Address(hex: "0x000000000000000000000000000000000000c0d1")
    static let caller = try! Address(hex: "0x000000000000000000000000000000000000c0d2")
    static let reverter = try! Address(hex: "0x000000000000000000000000000000000000c0d3")
    static let looper = try! Address(hex: "0x000000000000000000000000000000000000c0d4")
    static let prober = try! Address(hex: "0x000000000000000000000000000000000000c0d5")
    static let probed = try! Address(hex: "0x00000000000000000000000000000000000bbbbb")
    static let chainID: UInt64 = 1337

    /// PUSH1 0 CALLDATALOAD PUSH1 1 SSTORE STOP
    static let storeCode: [UInt8] = [0x60, 0x00, 0x35, 0x60, 0x01, 0x55, 0x00]
    /// CALL(gas 0xffff, store, 0, 0, 0, 0, 0) POP STOP
    static let callerCode: [UInt8] = [0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73] + store.bytes
        + [0x61, 0xff, 0xff, 0xf1, 0x50, 0x00]
    /// PUSH1 0 PUSH1 0 REVERT
    static let reverterCode: [UInt8] = [0x60, 0x00, 0x60, 0x00, 0xfd]
    /// JUMPDEST PUSH1 0 JUMP
    static let looperCode: [UInt8] = [0x5b, 0x60, 0x00, 0x56]
    /// PUSH20 probed EXTCODESIZE POP STOP
    static let proberCode: [UInt8] = [0x73] + probed.bytes + [0x3b, 0x50, 0x00]

    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "Ankr/test"
    let table: RPCMethodTable
    /// Block 1's transactions, in order.
    private(set) var block1: [Transaction] = []
    private(set) var transfer: Transaction?

    init(limits: RPCLimits = DebugTestChain.limits, maxTraceBytes: Int = DebugNamespace.defaultMaxTraceBytes) throws {
        let code = { (c: [UInt8]) in Genesis.Allocation(balance: .zero, code: c) }
        chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: Self.chainID, alloc: [
            Self.alice.address: .init(balance: UInt256(1_000_000_000_000_000_000)),
            Self.store: code(Self.storeCode), Self.caller: code(Self.callerCode), Self.reverter: code(Self.reverterCode),
            Self.looper: code(Self.looperCode), Self.prober: code(Self.proberCode),
        ]))
        mempool = Mempool(chainID: Self.chainID)
        table = RPCMethodTable(limits: limits)
        EthNamespace(backend: self, limits: limits).register(in: table)
        DebugNamespace(backend: self, limits: limits, maxTraceBytes: maxTraceBytes).register(in: table)
        let fee = UInt256(10_000_000_000)
        func tx(_ nonce: UInt64, to: Address, value: UInt256 = .zero, data: [UInt8] = []) throws -> Transaction {
            try Transaction.dynamicFee(chainID: Self.chainID, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: fee, gasLimit: 200_000,
                                       to: to, value: value, data: data).signed(with: Self.alice)
        }
        block1 = [try tx(0, to: Self.store, data: UInt256(5).bigEndianBytes), try tx(1, to: Self.caller), try tx(2, to: Self.reverter)]
        try seal(block1)
        let transfer = try tx(3, to: Self.probed, value: UInt256(7))
        self.transfer = transfer
        try seal([transfer])
    }

    /// The namespaces the tests need, with debug on.
    static var limits: RPCLimits {
        var limits = RPCLimits()
        limits.apis.insert("debug")
        return limits
    }

    /// Seals `txs` (alice's) into the next block.
    func seal(_ txs: [Transaction]) throws {
        let built = try chain.produceBlock(candidates: txs.map { ($0, Self.alice.address) }, coinbase: .zero, timestamp: chain.head.timestamp + 12)
        try chain.importBlock(built, sealed: built.block)
    }

    func submit(_ transaction: Transaction) throws -> H256 { transaction.hash }

    /// The whole response object of one call.
    func rpc(_ method: String, _ params: String) throws -> JSON {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        guard let reply = table.handle(body: Data(body.utf8)) else { throw DebugTestChainError.noReply(method) }
        return try JSON(parsing: reply)
    }
}

enum DebugTestChainError: Error {
    case noReply(String)
}
