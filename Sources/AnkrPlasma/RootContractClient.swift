import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation

/// One child chain's PlasmaRoot seen through a main-chain node's JSON-RPC: its views, its events
/// and (with a `Transactor`) its transactions. The operator and the watcher both talk to the main
/// chain through this.
public struct RootContractClient: Sendable {
    public let rpc: RPCClient
    public let chain: UInt64
    public let transactor: Transactor?
    public var address: Address { ChildChainRegistry.rootAddress(chain) }

    public init(rpc: RPCClient, chain: UInt64, transactor: Transactor? = nil) {
        self.rpc = rpc; self.chain = chain; self.transactor = transactor
    }

    /// Why a main-chain reply did not make sense.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// A view at the latest block.
    public func view(_ name: String, _ args: [ABIValue] = []) throws -> [ABIValue] {
        guard let f = PlasmaRoot.interface.functions.first(where: { $0.name == name }) else { throw Failure("no function \(name)") }
        let data = try ABI.encodeCall(f.signature, args)
        let out = try rpc.string("eth_call", [["to": address.checksummed, "data": data.hexPrefixed], "latest"])
        return try ABI.decode(f.outputTypes, from: try Hex.decode(out))
    }

    public func nextChildBlock() throws -> UInt64 {
        guard let n = try view("nextChildBlock").first?.uintValue?.uint64 else { throw Failure("nextChildBlock is not a number") }
        return n
    }

    public func latestBlock() throws -> UInt64 {
        guard let n = try view("latestBlock").first?.uintValue?.uint64 else { throw Failure("latestBlock is not a number") }
        return n
    }

    /// The stored root of child block `number`, or nil when there is none (never submitted, or rolled back).
    public func root(of number: UInt64) throws -> H256? {
        let v = try view("getChildBlock", [.uint(UInt256(number))])
        guard let bytes = v.first?.fixedBytesValue, let root = try? H256(bytes) else { throw Failure("getChildBlock returned no root") }
        guard let header = v[1].fixedBytesValue, header.contains(where: { $0 != 0 }) else { return nil }
        return root
    }

    public func exitBond() throws -> UInt256 { try view("exitBond").first?.uintValue ?? .zero }

    /// The main chain's latest block number.
    public func headNumber() throws -> UInt64 {
        guard let n = (try? UInt256(parsing: rpc.string("eth_blockNumber", [])))?.uint64 else { throw Failure("eth_blockNumber is not a number") }
        return n
    }

    /// `event` logs of this root in main-chain blocks `from...to`, decoded in declaration order.
    public func events(_ event: String, from: UInt64, to: UInt64) throws -> [[ABIValue]] {
        try logs(event, from: from, to: to).map(\.arguments)
    }

    /// Sends `name(args)` with `value` and waits for its success.
    @discardableResult
    public func send(_ name: String, _ args: [ABIValue] = [], value: UInt256 = .zero, minimumGas: UInt64 = 0) throws -> String {
        guard let transactor else { throw Failure("no key to send \(name) with") }
        guard let f = PlasmaRoot.interface.functions.first(where: { $0.name == name }) else { throw Failure("no function \(name)") }
        let hash = try transactor.send(to: address, value: value, data: try ABI.encodeCall(f.signature, args), minimumGas: minimumGas)
        try transactor.waitForSuccess(hash)
        return hash
    }
}
