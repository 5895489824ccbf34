import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import Foundation

/// A development chain for the dev-account tests: `dev` (EIP-155's public example key, the one `ankr node --dev`
/// funds) and `second` are funded; the table serves ``EthNamespace`` and ``DevAccountNamespace`` unlocking the
/// keys given, so the same chain can stand for a node that unlocks nothing.
final class DevAccountTestChain: RPCBackend, @unchecked Sendable {
    static let dev = try! PrivateKey(hex: "0x" + String(repeating: "46", count: 32))
    static let second = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
    static let stranger = try! Address(hex: "0x00000000000000000000000000000000000000aa")

    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "Ankr/test"
    let table: RPCMethodTable

    init(unlocked: [PrivateKey], chainID: UInt64 = 7331, baseFee: UInt256 = UInt256(1_000_000_000)) throws {
        let funds = UInt256(1_000_000).multipliedReportingOverflow(by: UInt256(1_000_000_000_000_000_000)).partialValue
        let genesis = Genesis(chainID: chainID, baseFeePerGas: baseFee,
                              alloc: [Self.dev.address: .init(balance: funds), Self.second.address: .init(balance: funds)])
        chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        mempool = Mempool(chainID: chainID, systemContracts: chain.executor.systemContracts)
        table = RPCMethodTable()
        EthNamespace(backend: self).register(in: table)
        DevAccountNamespace(backend: self, accounts: unlocked).register(in: table)
    }

    func submit(_ transaction: Transaction) throws -> H256 {
        try mempool.add(transaction, state: chain.state(at: chain.head), head: chain.head)
    }

    /// Seals every executable pooled transaction into the next block, in the pool's order (each sender's by nonce).
    func sealPool() throws {
        let candidates = try mempool.pending(state: chain.state(at: chain.head), baseFee: BaseFee.next(after: chain.head))
        let built = try chain.produceBlock(candidates: candidates, coinbase: .zero, timestamp: chain.head.timestamp + 1)
        try chain.importBlock(built.block)
        try mempool.update(state: chain.state(at: chain.head), head: chain.head, orphaned: [])
    }

    /// One call through the table: its `result`, or the error object as thrown ``RPCError``.
    func call(_ method: String, _ params: String) throws -> JSON {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        guard let data = table.handle(body: Data(body.utf8)) else { throw RPCError.internalError("no reply") }
        let reply = try JSON(parsing: data)
        if let error = reply["error"] {
            throw RPCError(code: Int(error["code"]?.int ?? 0), message: error["message"]?.string ?? "", data: error["data"]?.string)
        }
        return reply["result"] ?? .null
    }

    /// The error a call answers (nil when it succeeds).
    func refusal(_ method: String, _ params: String) -> RPCError? {
        do { _ = try call(method, params); return nil } catch let e as RPCError { return e } catch { return .internalError("\(error)") }
    }
}
