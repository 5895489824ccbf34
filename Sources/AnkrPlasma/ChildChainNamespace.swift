import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// `ankr_childChains` and `ankr_childChain(id)`: every child chain the main chain indexes, read
/// from the registry and each PlasmaRoot at the head — operator, stake, latest submitted block
/// (number, root, header hash) and the exits waiting in its queue.
public struct ChildChainNamespace: Sendable {
    public let backend: RPCBackend
    /// Exits listed per chain (the queue itself may be longer; `queuedExits` counts them all).
    public static let maxListedExits: UInt64 = 50

    public init(backend: RPCBackend) { self.backend = backend }

    public func register(in table: RPCMethodTable) {
        table.register("ankr_childChains") { p in
            try p.expect(min: 0, max: 0)
            let state = backend.chain.state(at: backend.chain.head)
            var registry = SystemStorage(state: state, address: ChildChainRegistry.address, gasLimit: .max)
            let count = try registry.word(.zero).uint64 ?? 0
            return .array(try (0..<min(count, ChildChainRegistry.maxChains)).map { try Self.summary(id: $0 + 1, state: state, exits: false) })
        }
        table.register("ankr_childChain") { p in
            try p.expect(min: 1, max: 1)
            guard let id = try p.quantity(0, "chain id").uint64, id >= 1, id <= ChildChainRegistry.maxChains else { return .null }
            let state = backend.chain.state(at: backend.chain.head)
            var registry = SystemStorage(state: state, address: ChildChainRegistry.address, gasLimit: .max)
            guard id <= (try registry.word(.zero).uint64 ?? 0) else { return .null }
            return try Self.summary(id: id, state: state, exits: true)
        }
    }

    static func summary(id: UInt64, state: WorldState, exits: Bool) throws -> JSON {
        let address = ChildChainRegistry.rootAddress(id)
        var root = PlasmaRootState(state: state, root: address)
        let next = try root.nextChildBlock()
        let latestNumber = try root.latestOperatorBlock()
        var out: [String: JSON] = [
            "id": RPCFormat.q(id), "root": .string(address.checksummed), "operator": .string(try root.operatorAddress().checksummed),
            "stake": RPCFormat.q(try root.stake()), "slashed": .bool(try root.stakeSlashed()), "balance": RPCFormat.q(try state.balance(address)),
            "nextChildBlock": RPCFormat.q(next),
            "queuedExits": RPCFormat.q(try root.queue.count(&root.storage)),
        ]
        if latestNumber > 0, let b = try root.block(latestNumber) {
            out["latestBlock"] = ["number": RPCFormat.q(latestNumber), "root": .string(b.root.description), "headerHash": .string(b.headerHash.description),
                                  "timestamp": RPCFormat.q(b.timestamp)]
        } else {
            out["latestBlock"] = .null
        }
        if exits {
            // In priority order (maturity, then position), as finalizeExit will pay them.
            var listed = [JSON]()
            for priority in try root.queue.items(limit: Self.maxListedExits, &root.storage).sorted() {
                let position = PlasmaRootState.position(ofPriority: priority)
                // An exit whose block a fraud proof rolled back waits only to be cancelled.
                // A fee exit sits at its youngest transaction's position with output index 2.
                let isFee = position % UTXOPosition.txFactor == 2
                guard let e = try root.exit(position), let pos = try? UTXOPosition(encoded: UInt256(isFee ? position - 2 : position)),
                      try root.block(pos.blockNumber) != nil else { continue }
                listed.append(["utxoPos": RPCFormat.q(position), "position": .string(isFee ? "\(pos.blockNumber):\(pos.txIndex):2" : pos.description),
                               "owner": .string(e.owner.checksummed), "amount": RPCFormat.q(e.amount), "exitableAt": RPCFormat.q(e.exitableAt),
                               "kind": .string(isFee ? "fees" : "output")])
            }
            out["exits"] = .array(listed)
        }
        return .object(out)
    }
}
