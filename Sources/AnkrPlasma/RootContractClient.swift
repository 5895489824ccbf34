import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation

/// One child chain's PlasmaRoot seen through a main-chain node's JSON-RPC: its views, its events
/// and (with a `Transactor`) its transactions. The operator and the watcher both talk to the main
/// chain through this.
public struct RootContractClient: Sendable {
    /// The main-chain node, read through typed replies.
    public let client: EthClient
    public let chain: UInt64
    /// The key that sends the root's transactions (nil: views and events only).
    public let transactor: Transactor?
    public var address: Address { ChildChainRegistry.rootAddress(chain) }
    /// The main-chain node's JSON-RPC connection.
    public var rpc: RPCClient { client.rpc }

    public init(client: EthClient, chain: UInt64, transactor: Transactor? = nil) {
        self.client = client; self.chain = chain; self.transactor = transactor
    }

    /// A client of child chain `chain`'s root over the node at the other end of `rpc`.
    public init(rpc: RPCClient, chain: UInt64, transactor: Transactor? = nil) {
        self.init(client: EthClient(rpc: rpc), chain: chain, transactor: transactor)
    }

    /// Why the root's answers or events did not make sense, or a call could not be made.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// PlasmaRoot has no function of this name.
        case unknownFunction(String)
        /// PlasmaRoot has no event of this name.
        case unknownEvent(String)
        /// A view that returns a block number returned one past 2^64.
        case numberOutOfRange(function: String, UInt256)
        /// `getChildBlock` returned no 32-byte root.
        case noRoot(block: UInt64)
        /// A log of the root's address and event topic that the event's ABI does not decode.
        case undecodableLog(event: String, block: UInt64)
        /// The client has no transactor to send with.
        case noSigner(function: String)

        public var description: String {
            switch self {
            case .unknownFunction(let name): return "no function \(name)"
            case .unknownEvent(let name): return "no event \(name)"
            case .numberOutOfRange(let function, let value): return "\(function) returned \(value), not a block number"
            case .noRoot(let block): return "getChildBlock(\(block)) returned no root"
            case .undecodableLog(let event, let block): return "undecodable \(event) log in main-chain block \(block)"
            case .noSigner(let function): return "no key to send \(function) with"
            }
        }
    }

    private func function(_ name: String) throws -> ContractInterface.Function {
        guard let f = PlasmaRoot.interface.functions.first(where: { $0.name == name }) else { throw Failure.unknownFunction(name) }
        return f
    }

    /// A view at the latest block.
    public func view(_ name: String, _ args: [ABIValue] = []) throws -> [ABIValue] {
        let f = try function(name)
        let out = try client.call(EthClient.CallRequest(to: address, data: try ABI.encodeCall(f.signature, args)))
        return try ABI.decode(f.outputTypes, from: out)
    }

    private func blockNumber(_ name: String) throws -> UInt64 {
        let value = try view(name).first?.uintValue ?? .zero
        guard let n = value.uint64 else { throw Failure.numberOutOfRange(function: name, value) }
        return n
    }

    public func nextChildBlock() throws -> UInt64 { try blockNumber("nextChildBlock") }

    public func latestBlock() throws -> UInt64 { try blockNumber("latestBlock") }

    /// The stored root of child block `number`, or nil when there is none (never submitted, or rolled back).
    public func root(of number: UInt64) throws -> H256? {
        let v = try view("getChildBlock", [.uint(UInt256(number))])
        guard let bytes = v.first?.fixedBytesValue, let root = try? H256(bytes) else { throw Failure.noRoot(block: number) }
        guard v.count > 1, let header = v[1].fixedBytesValue, header.contains(where: { $0 != 0 }) else { return nil }
        return root
    }

    public func exitBond() throws -> UInt256 { try view("exitBond").first?.uintValue ?? .zero }

    /// The main chain's latest block number.
    public func headNumber() throws -> UInt64 { try client.blockNumber() }

    /// `event` logs of this root in main-chain blocks `from...to`, decoded in declaration order.
    public func events(_ event: String, from: UInt64, to: UInt64) throws -> [[ABIValue]] {
        try logs(event, from: from, to: to).map(\.arguments)
    }

    /// Sends `name(args)` with `value` and waits for its success.
    @discardableResult
    public func send(_ name: String, _ args: [ABIValue] = [], value: UInt256 = .zero, minimumGas: UInt64 = 0, nonce: UInt64? = nil) throws -> H256 {
        guard let transactor else { throw Failure.noSigner(function: name) }
        let f = try function(name)
        let hash = try transactor.send(to: address, value: value, data: try ABI.encodeCall(f.signature, args), minimumGas: minimumGas, nonce: nonce)
        try transactor.waitForSuccess(hash)
        return hash
    }
}
