import AnkrChain
import AnkrPrimitives

/// The ChildChainRegistry system contract at `0x…a0001`: anyone with a stake creates a child chain
/// and becomes its operator; each chain gets its own PlasmaRoot address,
/// `0x00000000000000000000000000000000000b` followed by the chain id in two bytes.
public struct ChildChainRegistry: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0001")
    public static let maxChains: UInt64 = 65_535

    public let rules: PlasmaRules
    public var address: Address { Self.address }
    public var name: String { "ChildChainRegistry" }
    public var interface: ContractInterface { Self.interface }

    public init(rules: PlasmaRules) { self.rules = rules }

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("createChildChain", [], returns: [P("chainId", .uint(bits: 256)), P("root", .address)], .payable),
            .init("childChainCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("rootOf", [P("chainId", .uint(bits: 256))], returns: [P("root", .address)], .view),
        ],
        events: [.init("ChildChainCreated", [P("chainId", .uint(bits: 256), indexed: true), P("operator", .address, indexed: true),
                                             P("root", .address), P("stake", .uint(bits: 256))])])

    /// The PlasmaRoot address of child chain `id` (1…65,535).
    public static func rootAddress(_ id: UInt64) -> Address { ContractFamilyAddress.address(family: 0x0b, id: id) }

    /// The chain id a PlasmaRoot address belongs to, or nil for other addresses.
    public static func chainID(ofRoot address: Address) -> UInt64? { ContractFamilyAddress.id(of: address, family: 0x0b) }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        var storage = SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)
        try storage.charge(5_000)
        let (f, args) = try Self.interface.decode(call, gasUsed: storage.gasUsed)
        let count = try storage.word(.zero).uint64 ?? 0
        switch f.name {
        case "childChainCount":
            return SystemCallResult(output: try ABI.encode([.uint(UInt256(count))], types: f.outputTypes), gasUsed: storage.gasUsed)
        case "rootOf":
            guard case .uint(let id) = args[0], let n = id.uint64, n >= 1, n <= count else {
                throw SystemCallError.reverted("no child chain \(args[0])", gasUsed: storage.gasUsed)
            }
            return SystemCallResult(output: try ABI.encode([.address(Self.rootAddress(n))], types: f.outputTypes), gasUsed: storage.gasUsed)
        default:
            guard call.value >= rules.minimumStake else {
                throw SystemCallError.reverted("a child chain needs a stake of at least \(rules.minimumStake) wei", gasUsed: storage.gasUsed)
            }
            guard count < Self.maxChains else { throw SystemCallError.reverted("all \(Self.maxChains) child chain ids are taken", gasUsed: storage.gasUsed) }
            let id = count + 1
            try storage.setWord(.zero, UInt256(id))
            let root = Self.rootAddress(id)
            // The new root is a contract account holding the stake; its own storage starts its state.
            try state.setCode(root, SystemContractRegistry.markerCode)
            try state.setNonce(root, 1)
            try state.subtractBalance(address, call.value)
            try state.addBalance(root, call.value)
            var rootStorage = SystemStorage(state: state, address: root, gasLimit: call.gasAvailable - storage.gasUsed)
            try PlasmaRootState.initialize(&rootStorage, operator: call.caller, stake: call.value, chainID: id)
            try storage.charge(rootStorage.gasUsed + 32_000)
            let log = try Self.interface.log("ChildChainCreated", address: address, indexed: [UInt256(id), call.caller.word],
                                             data: [.address(root), .uint(call.value)])
            return SystemCallResult(output: try ABI.encode([.uint(UInt256(id)), .address(root)], types: f.outputTypes), gasUsed: storage.gasUsed, logs: [log])
        }
    }
}
