import AnkrPrimitives

/// A call into a system contract, as the state transition hands it over.
public struct SystemCall {
    public init(address: Address, caller: Address, value: UInt256, input: [UInt8], gasAvailable: UInt64, block: BlockContext,
                host: ContractHost? = nil, origin: Address? = nil, gasPrice: UInt256 = .zero, intrinsicGas: UInt64 = 0) {
        self.address = address; self.caller = caller; self.value = value; self.input = input; self.gasAvailable = gasAvailable; self.block = block
        self.host = host
        self.origin = origin ?? caller; self.gasPrice = gasPrice; self.intrinsicGas = intrinsicGas
    }

    /// The address called (one of a family's addresses for contracts such as PlasmaRoot).
    public let address: Address
    public let caller: Address
    public let value: UInt256
    public let input: [UInt8]
    public let gasAvailable: UInt64
    public let block: BlockContext
    /// Calls other contracts from this one (nil where nothing can be called, e.g. in unit tests).
    public let host: ContractHost?
    /// The account that signed the transaction (the caller itself outside a transaction).
    public let origin: Address
    /// The transaction's effective gas price: what its sender pays per gas (zero for `eth_call` and views).
    public let gasPrice: UInt256
    /// The transaction's intrinsic gas, without its access list's part (EIP-2930 entries), when this call is
    /// the transaction's own (top-level) call; zero
    /// when another contract made it, since then the gas spent around it is not this call's to know.
    public let intrinsicGas: UInt64
}

/// What a system contract's call into another contract did.
public struct ContractCallResult: Sendable, Equatable {
    public var succeeded: Bool
    public var output: [UInt8]
    public var gasUsed: UInt64

    public init(succeeded: Bool, output: [UInt8], gasUsed: UInt64) { self.succeeded = succeeded; self.output = output; self.gasUsed = gasUsed }
}

/// Lets a system contract call other contracts, as a contract's CALL would (the NOS calling a
/// requester back). The call runs one frame deeper, with the system contract as the caller; its
/// changes are undone if it fails, and undone with the system contract's if that one fails later.
public protocol ContractHost: AnyObject {
    func call(from: Address, to: Address, input: [UInt8], gas: UInt64) -> ContractCallResult
    /// The transaction's gas refund counter so far (EIP-3529: at most a fifth of its gas is given back).
    var gasRefund: Int64 { get }
}

extension ContractHost {
    public var gasRefund: Int64 { 0 }
}

/// What a successful system-contract call returns.
public struct SystemCallResult: Sendable, Equatable {
    public var output: [UInt8]
    public var gasUsed: UInt64
    public var logs: [Log]

    public init(output: [UInt8] = [], gasUsed: UInt64, logs: [Log] = []) {
        self.output = output
        self.gasUsed = gasUsed
        self.logs = logs
    }
}

/// Why a system-contract call failed; the state changes are undone and the gas is still charged.
public enum SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A Solidity-style revert with a reason.
    case reverted(String, gasUsed: UInt64)
    case outOfGas
    case unknownSelector([UInt8])
    case badArguments(String)

    public var description: String {
        switch self {
        case .reverted(let why, _): return "execution reverted: \(why)"
        case .outOfGas: return "out of gas"
        case .unknownSelector(let s): return "no function with selector \(s.hexPrefixed)"
        case .badArguments(let why): return "bad arguments: \(why)"
        }
    }
}

/// A native contract at a fixed address (DESIGN.md §3). It keeps its data in its own storage trie
/// (the world state's storage at `address`, so the state root covers it), exposes Solidity ABI
/// functions, charges gas, and emits Ethereum logs. Its ABI JSON ships in the repository.
public protocol SystemContract: Sendable {
    var address: Address { get }
    /// A short name for people (explorers, logs): `WorkMarket`.
    var name: String { get }
    /// The Solidity interface; its ABI JSON ships under `abi/`.
    var interface: ContractInterface { get }
    /// Runs a call. Throwing reverts every state change the call made.
    func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult
    /// Whether this contract answers at `address`: its own address, or any of a family's (one
    /// PlasmaRoot per child chain). Genesis marks only `address`; a family marks its members.
    func handles(_ address: Address) -> Bool
}

extension SystemContract {
    /// The Solidity ABI JSON, served to tools and shipped under `abi/`.
    public var abiJSON: String { interface.json }

    public func handles(_ address: Address) -> Bool { address == self.address }
}

/// Computes a header's `childChainsRoot` from the state after the block's transactions (DESIGN.md
/// §3); AnkrPlasma provides it, AnkrChain only calls it.
public protocol ChildChainIndex: Sendable {
    func childChainsRoot(state: WorldState) throws -> H256
}

/// The system contracts a chain runs, by address.
///
/// Genesis gives each contract's account nonce 1 and the one-byte code `0xfe` (INVALID), so it is
/// never "empty" under EIP-161 (its storage survives) and Solidity's `extcodesize` check before a
/// call passes; the chain dispatches to the native implementation instead of running that byte.
public struct SystemContractRegistry: Sendable {
    /// The code of every system-contract account: one INVALID opcode, never run (the chain dispatches
    /// to the native implementation), present so the account counts as a contract.
    public static let markerCode: [UInt8] = [0xfe]

    private var contracts: [Address: SystemContract] = [:]
    /// What `childChainsRoot` commits to; without one it stays zero.
    public let childChainIndex: ChildChainIndex?

    public init(_ contracts: [SystemContract] = [], childChainIndex: ChildChainIndex? = nil) {
        for c in contracts {
            // Two contracts at one address would silently shadow each other: a wiring mistake, caught at start.
            precondition(self.contracts[c.address] == nil, "two system contracts at \(c.address): \(c.name) and \(self.contracts[c.address]?.name ?? "")")
            self.contracts[c.address] = c
        }
        self.childChainIndex = childChainIndex
    }

    /// The header's `childChainsRoot` for a block ending in `state`.
    public func childChainsRoot(state: WorldState) throws -> H256 {
        try childChainIndex?.childChainsRoot(state: state) ?? .zero
    }

    public func contract(at address: Address) -> SystemContract? {
        if let c = contracts[address] { return c }
        return contracts.values.first { $0.handles(address) }
    }
    public var all: [SystemContract] { contracts.values.sorted { $0.address < $1.address } }
}
