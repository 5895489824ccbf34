import AnkrChain
import AnkrPrimitives

/// The AppChainRegistry system contract at `0x…a0007`: anyone with a stake registers an application
/// chain (an EVM child chain, DESIGN.md §8) with its profile, EIP-155 chain id and genesis header, and
/// becomes its operator. Chain `id` gets its root, ``AppChainRoot``, at `0x…0c` followed by the id in
/// two bytes.
public struct AppChainRegistry: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0007")
    public static let maxChains: UInt64 = 65_535
    /// The least block gas limit of an application chain: room for its operator's deposit batches.
    public static let minimumGasLimit: UInt64 = 1_000_000

    public let rules: AppChainRules
    public var address: Address { Self.address }
    public var name: String { "AppChainRegistry" }
    public var interface: ContractInterface { Self.interface }

    public init(rules: AppChainRules) { self.rules = rules }

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("createAppChain", [P("chainId", .uint(bits: 64)), P("profile", .string), P("genesisHeader", .bytes)],
                  returns: [P("id", .uint(bits: 256)), P("root", .address)], .payable),
            .init("appChainCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("rootOf", [P("id", .uint(bits: 256))], returns: [P("root", .address)], .view),
            .init("idOfChain", [P("chainId", .uint(bits: 64))], returns: [P("id", .uint(bits: 256))], .view),
        ],
        events: [.init("AppChainCreated", [P("id", .uint(bits: 256), indexed: true), P("operator", .address, indexed: true),
                                           P("root", .address), P("chainId", .uint(bits: 64)), P("profile", .string), P("stake", .uint(bits: 256))])])

    /// The root address of application chain `id` (1…65,535).
    public static func rootAddress(_ id: UInt64) -> Address { ContractFamilyAddress.address(family: 0x0c, id: id) }

    /// The chain id a root address belongs to, or nil for other addresses.
    public static func id(ofRoot address: Address) -> UInt64? { ContractFamilyAddress.id(of: address, family: 0x0c) }

    /// How many application chains exist, as of `state`.
    public static func count(state: WorldState) throws -> UInt64 {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return min(try s.word(.zero).uint64 ?? 0, maxChains)
    }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        var storage = SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)
        try storage.charge(5_000)
        let (f, args) = try Self.interface.decode(call, gasUsed: storage.gasUsed)
        let count = try storage.word(.zero).uint64 ?? 0
        func revert(_ why: String) -> SystemCallError { .reverted(why, gasUsed: storage.gasUsed) }
        switch f.name {
        case "appChainCount":
            return SystemCallResult(output: try ABI.encode([.uint(UInt256(count))], types: f.outputTypes), gasUsed: storage.gasUsed)
        case "rootOf":
            guard let n = args[0].uintValue?.uint64, n >= 1, n <= count else { throw revert("no application chain \(args[0])") }
            return SystemCallResult(output: try ABI.encode([.address(Self.rootAddress(n))], types: f.outputTypes), gasUsed: storage.gasUsed)
        case "idOfChain":
            let id = try storage.word(SystemStorage.slot(.one, args[0].uintValue ?? .zero))
            return SystemCallResult(output: try ABI.encode([.uint(id)], types: f.outputTypes), gasUsed: storage.gasUsed)
        default:
            guard call.value >= rules.minimumStake else { throw revert("an application chain needs a stake of at least \(rules.minimumStake) wei") }
            guard count < Self.maxChains else { throw revert("all \(Self.maxChains) application chain ids are taken") }
            guard case .uint(let cid) = args[0], let chainID = cid.uint64, chainID != 0, chainID != call.block.chainID else {
                throw revert("the chain id must be non-zero and not the main chain's (\(call.block.chainID))")
            }
            let chainSlot = SystemStorage.slot(.one, UInt256(chainID))
            guard try storage.word(chainSlot).isZero else { throw revert("chain id \(chainID) is already an application chain's") }
            guard case .string(let name) = args[1], let profile = AppChainProfile(rawValue: name) else {
                throw revert("unknown profile \(args[1]); one of \(AppChainProfile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let genesis: BlockHeader
            do { genesis = try BlockHeader(encoded: args[2].bytesValue ?? []) } catch { throw revert("genesis header: \(error)") }
            guard genesis.number == 0 else { throw revert("a genesis header has number 0, not \(genesis.number)") }
            guard genesis.encoded.count <= AppChainRoot.maxHeaderBytes else {
                throw revert("a genesis header is at most \(AppChainRoot.maxHeaderBytes) bytes, not \(genesis.encoded.count)")
            }
            // The genesis names its operator as coinbase (nodes refuse one that does not): only that operator registers it.
            guard genesis.coinbase == call.caller else {
                throw revert("the genesis's coinbase \(genesis.coinbase.checksummed) is its operator; only it may register the chain")
            }
            try storage.charge(50_000)
            guard genesis.stateRoot == (try AppChainRules.genesisStateRoot(operator: call.caller)) else {
                throw revert("an application chain's genesis holds only its bridge: no balances, code or storage (every ANKR on it is deposited)")
            }
            // The operator's first deposit relay pays no fee: a chain starts with a zero base fee.
            guard genesis.baseFeePerGas.isZero else { throw revert("an application chain's genesis base fee is 0, not \(genesis.baseFeePerGas)") }
            guard genesis.gasLimit >= Self.minimumGasLimit else {
                throw revert("an application chain's blocks carry at least \(Self.minimumGasLimit) gas (its deposits must fit); genesis has \(genesis.gasLimit)")
            }
            guard genesis.gasLimit <= profile.maxBlockGasLimit else {
                throw revert("a \(profile.rawValue) chain's blocks carry at most \(profile.maxBlockGasLimit) gas; genesis has \(genesis.gasLimit)")
            }
            // One chain per genesis: the operator's seal binds no chain id, so two chains sharing a genesis (one operator,
            // the same template) would share every block hash up to their first difference, and one chain's sealed blocks
            // could pass for contradictions of the other's commitments.
            let genesisSlot = SystemStorage.slot(UInt256(2), UInt256(bigEndian: genesis.hash.bytes) ?? .zero)
            guard try storage.word(genesisSlot).isZero else {
                throw revert("genesis \(genesis.hash) is already an application chain's: give this chain its own (another timestamp or extra data)")
            }
            let id = count + 1
            try storage.setWord(.zero, UInt256(id))
            try storage.setWord(chainSlot, UInt256(id))
            try storage.setWord(genesisSlot, UInt256(id))
            let root = Self.rootAddress(id)
            // The root is a contract account holding the stake; its own storage is the chain's record.
            try state.setCode(root, SystemContractRegistry.markerCode)
            try state.setNonce(root, 1)
            try state.subtractBalance(address, call.value)
            try state.addBalance(root, call.value)
            var rootStorage = SystemStorage(state: state, address: root, gasLimit: call.gasAvailable - storage.gasUsed)
            try AppChainRootState.initialize(&rootStorage, operator: call.caller, stake: call.value, chainID: chainID, profile: profile,
                                             genesis: genesis, now: call.block.timestamp)
            try storage.charge(rootStorage.gasUsed + 32_000)
            let log = try Self.interface.log("AppChainCreated", address: address, indexed: [UInt256(id), call.caller.word],
                                             data: [.address(root), .uint(UInt256(chainID)), .string(profile.rawValue), .uint(call.value)])
            return SystemCallResult(output: try ABI.encode([.uint(UInt256(id)), .address(root)], types: f.outputTypes), gasUsed: storage.gasUsed, logs: [log])
        }
    }
}
